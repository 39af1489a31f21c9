// The sign-in page: completes what the server did not render into it. Plain JavaScript, no dependencies.
(function () {
  'use strict';

  var LOGIN_CSRF_COOKIE = 'VIGIL_LOGIN_CSRF';
  // What API.md says the server answers for each refused sign-in.
  var ERRORS = {
    401: 'Wrong user name or password',
    429: 'Too many attempts: wait a few minutes and try again'
  };

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split(';') : [];
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i].trim();
      var eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq) === name) {
        return decodeURIComponent(p.substring(eq + 1));
      }
    }
    return '';
  }

  // The status this page was served with (Navigation Timing Level 2), so a refused POST /login shows its reason
  // even when the server sends the page unchanged.
  function responseStatus() {
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType('navigation') : [];
    return entries.length && entries[0].responseStatus ? entries[0].responseStatus : 0;
  }

  // a placeholder left in the page (not served by ConsoleServer) counts as missing
  function filled(text) {
    return text && text.indexOf('{{') < 0 ? text : '';
  }

  var csrf = document.getElementById('login-csrf');
  if (!filled(csrf.value)) {
    csrf.value = cookie(LOGIN_CSRF_COOKIE);
  }

  var error = document.getElementById('login-error');
  var status = responseStatus();
  if (!filled(error.textContent.trim())) {
    error.textContent = ERRORS[status] || '';
  }
  error.hidden = !error.textContent.trim();

  var submit = document.getElementById('login-submit');
  document.getElementById('login-form').addEventListener('submit', function () {
    submit.disabled = true;
  });
  // back from the next page (bfcache): the form is usable again
  window.addEventListener('pageshow', function () {
    submit.disabled = false;
  });
})();

// The analysts' console: one page, four views (queue, case, search, model) chosen by the URL's hash.
// Plain JavaScript, no framework, no build step. The contract with the server is console/API.md.
// Every value from the server reaches the page through textContent (el() below), never as HTML.
(function () {
  'use strict';

  /** How many cards the queue asks for: the whole of a busy day, ranked, in one table. */
  var QUEUE_LIMIT = 1000;
  /** How long the "labeled" message stays before the queue comes back. */
  var BACK_TO_QUEUE_MS = 700;
  var NOTE_MAX = 500;
  var VERDICTS = { fraud: 'Fraud', genuine: 'Genuine', unsure: 'Not sure' };

  var session = { analyst: '', csrf: '' };
  var view = document.getElementById('view');
  var notice = document.getElementById('notice');
  // a navigation made while a view was loading makes that view's late answer moot
  var renderSeq = 0;

  // ---- the server -------------------------------------------------------------------------------------------------

  /** An answer the server refused, with its message. */
  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  /** Calls the API; resolves with the parsed JSON, rejects with an ApiError. A lost session goes to the sign-in page. */
  function api(method, path, body) {
    var options = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (method !== 'GET') {
      options.headers['X-CSRF-Token'] = session.csrf;
    }
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 401) {
        window.location.assign('/login');
        throw new ApiError(401, 'Your session has ended; sign in again.');
      }
      return response.text().then(function (text) {
        var json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch (e) {
          json = null;
        }
        if (!response.ok) {
          var message = json && json.error ? json.error : (response.status + ' ' + response.statusText);
          throw new ApiError(response.status, message);
        }
        return { status: response.status, body: json };
      });
    }, function () {
      throw new ApiError(0, 'The console server cannot be reached.');
    });
  }

  /** A fresh id for one label submission: the server drops a repeated id, so a retried request is one label. */
  function newSubmissionId() {
    if (window.crypto && typeof crypto.randomUUID === 'function') {
      return crypto.randomUUID();
    }
    // pages served over plain http to a non-loopback address have no randomUUID; getRandomValues works everywhere
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).substring(1); }).join('');
    return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
      + hex.substring(16, 20) + '-' + hex.substring(20);
  }

  // ---- building the page ------------------------------------------------------------------------------------------

  /**
   * A new element. attrs: attributes (className, dataset via data-*, on* handlers as functions); children: nodes,
   * strings (as text), arrays of either, or null (skipped).
   */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (key.substring(0, 2) === 'on' && typeof value === 'function') {
        node.addEventListener(key.substring(2), value);
      } else if (key === 'className') {
        node.className = value;
      } else if (value === true) {
        node.setAttribute(key, '');
      } else {
        node.setAttribute(key, String(value));
      }
    });
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined) {
      return;
    }
    if (Array.isArray(children)) {
      children.forEach(function (c) { append(node, c); });
    } else if (children instanceof Node) {
      node.appendChild(children);
    } else {
      node.appendChild(document.createTextNode(String(children)));
    }
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function show(viewName, content) {
    clear(view);
    view.setAttribute('data-view', viewName);
    append(view, content);
    document.querySelectorAll('.tabs a').forEach(function (a) {
      if (a.getAttribute('data-view') === viewName || (viewName === 'case' && a.getAttribute('data-view') === 'queue')) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    });
  }

  function showNotice(message) {
    notice.textContent = message || '';
    notice.hidden = !message;
  }

  /** A table: columns [{title, className}], rows of <tr>; an empty message when there are none. */
  function table(id, columns, rows, empty) {
    if (!rows.length) {
      return el('p', { id: id, className: 'muted empty' }, empty);
    }
    return el('div', { className: 'table-wrap' }, el('table', { id: id, className: 'data' }, [
      el('thead', null, el('tr', null, columns.map(function (c) {
        return el('th', { scope: 'col', className: c.className || null }, c.title);
      }))),
      el('tbody', null, rows)
    ]));
  }

  function section(title, id, content) {
    return el('section', { className: 'panel', id: id }, [el('h2', null, title), content]);
  }

  /** A definition list from [label, value] pairs; a value may be a node. */
  function facts(pairs, id) {
    return el('dl', { className: 'facts', id: id || null }, pairs.map(function (p) {
      return [el('dt', null, p[0]), el('dd', { 'data-field': p[2] || null }, p[1] === null || p[1] === undefined ? '–' : p[1])];
    }));
  }

  // ---- formats ----------------------------------------------------------------------------------------------------

  /** A value, or a dash for none (Jackson writes a NaN as the string "NaN": a number not known yet). */
  function dash(v) {
    return v === null || v === undefined || v === '' || v === 'NaN' || (typeof v === 'number' && !isFinite(v))
      ? '–' : v;
  }

  /** An instant (ISO-8601 string or epoch millis) as "2026-01-24 10:00:00 UTC": the queue's day is a UTC day. */
  function time(v) {
    if (v === null || v === undefined || v === '') {
      return '–';
    }
    var d = new Date(v);
    if (isNaN(d.getTime())) {
      return String(v);
    }
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  }

  function number(v, digits) {
    return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : dash(v);
  }

  function withUnit(v, digits, unit) {
    return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) + ' ' + unit : '–';
  }

  function percent(v) {
    return typeof v === 'number' && isFinite(v) ? (v * 100).toFixed(1) + ' %' : dash(v);
  }

  function integer(v) {
    return typeof v === 'number' && isFinite(v) ? Math.round(v).toLocaleString('en') : dash(v);
  }

  /** The score as a number with a bar whose length and colour say how risky it is. */
  function score(v) {
    var level = typeof v !== 'number' ? 'low' : v >= 0.5 ? 'high' : v >= 0.1 ? 'mid' : 'low';
    var width = typeof v === 'number' ? Math.max(0, Math.min(1, v)) * 100 : 0;
    var fill = el('span', { className: 'score-fill' });
    fill.style.width = width.toFixed(1) + '%'; // through the CSSOM: allowed by a style-src 'self' policy
    return el('span', { className: 'score score-' + level }, [
      el('span', { className: 'score-bar', 'aria-hidden': 'true' }, fill),
      el('span', { className: 'score-value' }, number(v, 3))
    ]);
  }

  function decision(v) {
    return el('span', { className: 'badge badge-' + (/^[a-z]+$/.test(v) ? v : 'other') }, dash(v));
  }

  function verdictBadge(v) {
    return el('span', { className: 'badge badge-' + (v === 'fraud' ? 'alert' : v === 'genuine' ? 'genuine' : 'other') },
      VERDICTS[v] || dash(v));
  }

  function reasons(list, limit) {
    var items = (list || []).slice(0, limit || 3);
    if (!items.length) {
      return el('span', { className: 'muted' }, '–');
    }
    return el('ul', { className: 'reasons' }, items.map(function (r) { return el('li', null, r); }));
  }

  function caseHref(transactionId) {
    return '#/case/' + encodeURIComponent(transactionId);
  }

  /** Opens a case from a row: a click anywhere on it, or Enter when it has the focus. */
  function opensCase(row, transactionId) {
    row.classList.add('clickable');
    row.tabIndex = 0;
    row.addEventListener('click', function (e) {
      if (!e.target.closest('a')) {
        window.location.hash = caseHref(transactionId);
      }
    });
    row.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        window.location.hash = caseHref(transactionId);
      }
    });
    return row;
  }

  // ---- queue ------------------------------------------------------------------------------------------------------

  function renderQueue(seq) {
    return api('GET', '/api/queue?limit=' + QUEUE_LIMIT).then(function (r) {
      if (seq !== renderSeq) {
        return;
      }
      if (window.performance && performance.mark) {
        performance.mark('vigil-queue-data');
      }
      var q = r.body || {};
      var cards = q.cards || [];
      var rows = cards.map(function (c, i) {
        return opensCase(el('tr', { 'data-tx': c.transactionId, 'data-decision': c.decision }, [
          el('td', { className: 'num muted' }, String(i + 1)),
          el('td', { className: 'mono' }, el('a', { href: caseHref(c.transactionId) }, dash(c.card))),
          el('td', null, dash(c.merchantId)),
          el('td', { className: 'num' }, dash(c.amount)),
          el('td', { className: 'nowrap' }, time(c.eventTime)),
          el('td', null, score(c.score)),
          el('td', null, decision(c.decision)),
          el('td', null, reasons(c.reasons, 3))
        ]), c.transactionId);
      });
      var total = typeof q.total === 'number' ? q.total : cards.length;
      show('queue', [
        el('div', { className: 'view-head' }, [
          el('h1', null, 'Review queue'),
          el('p', { id: 'queue-summary', className: 'muted', 'data-total': total, 'data-shown': cards.length },
            (q.day ? 'Day ' + q.day + ' (UTC) · ' : '') + integer(total) + (total === 1 ? ' card' : ' cards')
              + ' to review' + (cards.length < total ? ', the ' + integer(cards.length) + ' riskiest shown' : '')
              + ', ranked by risk'),
          el('button', { id: 'queue-refresh', type: 'button', className: 'button button-quiet',
            onclick: function () { route(); } }, 'Refresh')
        ]),
        table('queue', [
          { title: '#', className: 'num col-rank' }, { title: 'Card', className: 'col-card' },
          { title: 'Merchant', className: 'col-merchant' }, { title: 'Amount', className: 'num col-amount' },
          { title: 'Time', className: 'col-time' }, { title: 'Score', className: 'col-score' },
          { title: 'Decision', className: 'col-decision' }, { title: 'Top reasons', className: 'col-reasons' }
        ], rows, 'Nothing to review: every alerted card of the day has a label.')
      ]);
      view.setAttribute('data-loaded', 'queue');
      // User Timing marks (QueueLoadBench reads them): the answer parsed (above), the rows in the DOM, then a frame
      // later on screen
      if (window.performance && performance.mark) {
        performance.mark('vigil-queue-rendered');
        requestAnimationFrame(function () {
          setTimeout(function () { performance.mark('vigil-queue-painted'); }, 0);
        });
      }
    });
  }

  // ---- case -------------------------------------------------------------------------------------------------------

  function renderCase(seq, transactionId) {
    return api('GET', '/api/cases/' + encodeURIComponent(transactionId)).then(function (r) {
      if (seq !== renderSeq) {
        return;
      }
      var c = r.body || {};
      var tx = c.transaction || {};
      var merchant = c.merchantHistory || {};
      show('case', el('div', { id: 'case', 'data-tx': tx.transactionId }, [
        el('div', { className: 'view-head' }, [
          el('a', { id: 'case-back', className: 'button button-quiet', href: '#/queue' }, '← Queue'),
          el('h1', null, ['Case ', el('span', { className: 'mono' }, dash(tx.transactionId))]),
          decision(tx.decision)
        ]),
        c.contextError ? el('p', { id: 'case-context-error', className: 'notice notice-warn' },
          'Part of the context could not be read: ' + c.contextError) : null,
        el('div', { className: 'case-grid' }, [
          el('div', { className: 'case-main' }, [
            section('Payment', 'case-payment', facts([
              ['Card', cardLink(tx.card, tx.cardRef), 'card'],
              ['Merchant', merchantLink(tx.merchantId), 'merchant'],
              ['Amount', dash(tx.amount), 'amount'],
              ['Time', time(tx.eventTime), 'time'],
              ['Score', score(tx.score), 'score'],
              ['Review probability', number(tx.reviewProbability, 2), 'review-probability'],
              ['Adapter', dash(tx.adapterVersion), 'adapter']
            ])),
            section('Why it was flagged', 'case-reasons', reasons(tx.reasons, 10)),
            section("The card's recent payments", 'case-card', cardPayments(c.cardPayments || [], tx.transactionId)),
            // their score is the similarity to this case (cosine, k-NN on the case vectors), not a risk score
            section('Most similar past fraud cases', 'case-similar', table('case-similar-table', [
              { title: 'Payment' }, { title: 'Merchant' }, { title: 'Time' }, { title: 'Amount', className: 'num' },
              { title: 'Similarity', className: 'num' }
            ], (c.similarFrauds || []).map(function (s) {
              return opensCase(el('tr', { 'data-tx': s.transactionId }, [
                el('td', { className: 'mono' }, dash(s.transactionId)), el('td', null, dash(s.merchantId)),
                el('td', { className: 'nowrap' }, time(s.eventTime)), el('td', { className: 'num' }, dash(s.amount)),
                el('td', { className: 'num' }, number(s.score, 3))
              ]), s.transactionId);
            }), 'No labeled fraud case is close to this one.'))
          ]),
          el('aside', { className: 'case-side' }, [
            labelForm(tx),
            section('Labels', 'case-labels', table('case-labels-table', [
              { title: 'Verdict' }, { title: 'By' }, { title: 'When' }, { title: 'Note' }
            ], (c.labels || []).map(function (l) {
              return el('tr', { 'data-verdict': l.verdict, 'data-analyst': l.analyst }, [
                el('td', null, verdictBadge(l.verdict)),
                el('td', null, [dash(l.analyst), l.source && l.source !== 'ANALYST'
                  ? el('span', { className: 'muted small' }, ' (' + l.source.toLowerCase() + ')') : null]),
                el('td', { className: 'nowrap' }, time(l.labeledTime)), el('td', { className: 'note' }, dash(l.note))
              ]);
            }), 'No label yet.')),
            section("Merchant's labeled history", 'case-merchant', facts([
              ['Merchant', dash(merchant.merchantId || tx.merchantId), 'merchant'],
              ['Fraud', integer(merchant.frauds), 'frauds'],
              ['Genuine', integer(merchant.genuine), 'genuine'],
              ['Fraud rate', merchant.frauds + merchant.genuine > 0 ? percent(merchant.fraudRate) : '–', 'fraud-rate']
            ]))
          ])
        ])
      ]));
      view.setAttribute('data-loaded', 'case');
    }, function (e) {
      if (seq === renderSeq && e.status === 404) {
        show('case', el('div', { id: 'case-missing', className: 'panel' }, [
          el('h1', null, 'No such case'),
          el('p', null, ['No payment ', el('span', { className: 'mono' }, transactionId), ' is known to the console.']),
          el('a', { className: 'button', href: '#/queue' }, 'Back to the queue')
        ]));
        return;
      }
      throw e;
    });
  }

  /** The masked card, linked to a search of its cases by its opaque reference (the card id never leaves the server). */
  function cardLink(card, cardRef) {
    var masked = el('span', { className: 'mono' }, dash(card));
    if (!cardRef) {
      return masked;
    }
    return el('a', { href: '#/search?' + new URLSearchParams({ card: cardRef }).toString(),
      title: "Search this card's cases" }, masked);
  }

  function merchantLink(merchantId) {
    if (!merchantId) {
      return '–';
    }
    return el('a', { href: '#/search?' + new URLSearchParams({ merchant: merchantId }).toString(),
      title: "Search this merchant's cases" }, merchantId);
  }

  function cardPayments(payments, current) {
    return table('case-card-table', [
      { title: 'Time' }, { title: 'Merchant' }, { title: 'Amount', className: 'num' }, { title: 'Score' },
      { title: 'Decision' }
    ], payments.map(function (p) {
      var row = el('tr', { 'data-tx': p.transactionId, className: p.transactionId === current ? 'current' : null }, [
        el('td', { className: 'nowrap' }, time(p.eventTime)), el('td', null, dash(p.merchantId)),
        el('td', { className: 'num' }, dash(p.amount)), el('td', null, score(p.score)),
        el('td', null, decision(p.decision))
      ]);
      return p.transactionId === current ? row : opensCase(row, p.transactionId);
    }), 'No other payment of this card was scored recently.');
  }

  /** Fraud / Genuine / Not sure, an optional note, and what the server answered. */
  function labelForm(tx) {
    var note = el('textarea', { id: 'label-note', rows: 3, maxlength: NOTE_MAX,
      placeholder: 'What you checked, what you found (optional)' });
    var counter = el('span', { id: 'label-note-count', className: 'muted small' }, '0 / ' + NOTE_MAX);
    var result = el('p', { id: 'label-result', className: 'result', role: 'status', 'aria-live': 'polite' });
    var buttons = ['fraud', 'genuine', 'unsure'].map(function (verdict) {
      return el('button', { id: 'label-' + verdict, type: 'button', 'data-verdict': verdict,
        className: 'button verdict verdict-' + verdict, onclick: function () { submit(verdict); } }, VERDICTS[verdict]);
    });
    // kept while a request has no answer, so that sending the same label again cannot make two
    var pending = null;

    note.addEventListener('input', function () {
      counter.textContent = note.value.length + ' / ' + NOTE_MAX;
    });

    function setBusy(busy) {
      buttons.forEach(function (b) { b.disabled = busy; });
      note.disabled = busy;
    }

    function say(state, message) {
      result.setAttribute('data-state', state);
      result.className = 'result result-' + state;
      result.textContent = message;
    }

    function submit(verdict) {
      var text = note.value.trim();
      if (!pending || pending.verdict !== verdict || pending.note !== text) {
        pending = { verdict: verdict, note: text, submissionId: newSubmissionId() };
      }
      var body = { transactionId: tx.transactionId, verdict: verdict, submissionId: pending.submissionId };
      if (text) {
        body.note = text;
      }
      setBusy(true);
      say('sending', 'Sending…');
      api('POST', '/api/labels', body).then(function (r) {
        pending = null;
        var answer = r.body || {};
        if (answer.duplicate) {
          say('ok', 'Already recorded: this label was sent before.');
        } else if (verdict === 'unsure') {
          say('ok', 'Recorded as not sure. The card stays in the queue.');
          setBusy(false);
          return;
        } else {
          say('ok', 'Labeled ' + VERDICTS[verdict].toLowerCase() + (answer.published ? ' and published.' : '.'));
        }
        setTimeout(function () {
          if (view.getAttribute('data-view') === 'case') {
            window.location.hash = '#/queue';
          }
        }, BACK_TO_QUEUE_MS);
      }, function (e) {
        // no answer, or 503 (the broker did not acknowledge it): a retry of the same label keeps its submissionId, so
        // that it cannot become two labels; any other refusal recorded nothing, and a new try is a new submission
        if (e.status !== 0 && e.status !== 503) {
          pending = null;
        }
        say('error', e.message);
        setBusy(false);
      });
    }

    return el('section', { className: 'panel label-panel', id: 'label-form' }, [
      el('h2', null, 'Your label'),
      el('div', { className: 'verdicts', role: 'group', 'aria-label': 'Verdict' }, buttons),
      el('label', { for: 'label-note' }, ['Note ', el('span', { className: 'muted' }, '(optional)')]),
      note,
      counter,
      result
    ]);
  }

  // ---- search -----------------------------------------------------------------------------------------------------

  var SEARCH_FIELDS = ['card', 'merchant', 'from', 'to', 'label', 'q'];

  function renderSearch(seq, params) {
    function input(name, label, attrs) {
      var a = Object.assign({ id: 'search-' + name, name: name, value: params.get(name) || '' }, attrs || {});
      return el('div', { className: 'field' }, [el('label', { for: a.id }, label), el('input', a)]);
    }
    // from/to travel as ISO instants; the inputs show them as UTC date and time
    function instantInput(name, label) {
      var value = params.get(name) || '';
      var local = value ? new Date(value) : null;
      return input(name, label, { type: 'datetime-local', step: 1,
        value: local && !isNaN(local.getTime()) ? local.toISOString().substring(0, 19) : '' });
    }
    var labelSelect = el('select', { id: 'search-label', name: 'label' }, [
      ['', 'Any'], ['fraud', 'Fraud'], ['genuine', 'Genuine'], ['unlabeled', 'Unlabeled']
    ].map(function (o) {
      return el('option', { value: o[0], selected: (params.get('label') || '') === o[0] }, o[1]);
    }));
    var form = el('form', { id: 'search-form', className: 'search-form panel', autocomplete: 'off' }, [
      input('card', 'Card', { placeholder: 'card id', spellcheck: 'false' }),
      input('merchant', 'Merchant', { placeholder: 'merchant id', spellcheck: 'false' }),
      instantInput('from', 'From (UTC)'),
      instantInput('to', 'To (UTC)'),
      el('div', { className: 'field' }, [el('label', { for: 'search-label' }, 'Label'), labelSelect]),
      input('q', 'Reasons contain', { placeholder: 'free text', type: 'search' }),
      el('div', { className: 'field field-actions' }, [
        el('button', { id: 'search-submit', type: 'submit', className: 'button button-primary' }, 'Search'),
        el('a', { id: 'search-reset', className: 'button button-quiet', href: '#/search' }, 'Clear')
      ])
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var query = new URLSearchParams();
      SEARCH_FIELDS.forEach(function (name) {
        var v = form.elements[name].value.trim();
        if (v && (name === 'from' || name === 'to')) {
          v = new Date(v + (v.length === 16 ? ':00' : '') + 'Z').toISOString();
        }
        if (v) {
          query.set(name, v);
        }
      });
      var hash = '#/search?' + query.toString();
      if (window.location.hash === hash) {
        route();
      } else {
        window.location.hash = hash;
      }
    });
    var results = el('div', { id: 'search-output' },
      el('p', { className: 'muted' }, 'Search the indexed cases by card, merchant, time, label or reason.'));
    show('search', [el('div', { className: 'view-head' }, el('h1', null, 'Search cases')), form, results]);

    var query = new URLSearchParams();
    SEARCH_FIELDS.forEach(function (name) {
      if (params.get(name)) {
        query.set(name, params.get(name));
      }
    });
    if (!query.toString()) {
      view.setAttribute('data-loaded', 'search');
      return Promise.resolve();
    }
    clear(results);
    append(results, el('p', { className: 'muted loading' }, 'Searching…'));
    return api('GET', '/api/search?' + query.toString()).then(function (r) {
      if (seq !== renderSeq) {
        return;
      }
      var cases = (r.body && r.body.cases) || [];
      clear(results);
      append(results, [
        el('p', { id: 'search-count', className: 'muted', 'data-count': cases.length },
          integer(cases.length) + (cases.length === 1 ? ' case' : ' cases')),
        table('search-results', [
          { title: 'Card' }, { title: 'Merchant' }, { title: 'Amount', className: 'num' }, { title: 'Time' },
          { title: 'Score' }, { title: 'Decision' }, { title: 'Label' }, { title: 'Top reasons' }
        ], cases.map(function (c) {
          return opensCase(el('tr', { 'data-tx': c.transactionId }, [
            el('td', { className: 'mono' }, el('a', { href: caseHref(c.transactionId) }, dash(c.card))),
            el('td', null, dash(c.merchantId)), el('td', { className: 'num' }, dash(c.amount)),
            el('td', { className: 'nowrap' }, time(c.eventTime)), el('td', null, score(c.score)),
            el('td', null, decision(c.decision)),
            el('td', null, c.label ? verdictBadge(c.label) : el('span', { className: 'muted' }, 'unlabeled')),
            el('td', null, reasons(c.reasons, 3))
          ]), c.transactionId);
        }), 'No case matches.')
      ]);
      view.setAttribute('data-loaded', 'search');
    }, function (e) {
      if (seq === renderSeq) {
        clear(results);
        append(results, el('p', { id: 'search-error', className: 'notice notice-error' }, e.message));
      }
    });
  }

  // ---- model ------------------------------------------------------------------------------------------------------

  function renderModel(seq) {
    return api('GET', '/api/model').then(function (r) {
      if (seq !== renderSeq) {
        return;
      }
      var m = r.body || {};
      var live = m.live || {};
      var today = m.today || {};
      var releases = m.releases || [];
      var refusals = m.refusals || [];
      show('model', [
        el('div', { className: 'view-head' }, el('h1', null, 'Model')),
        el('div', { className: 'cards' }, [
          section('Live adapter', 'model-live', facts([
            ['Version', el('strong', null, dash(live.version)), 'version'],
            ['Sequence', dash(live.sequence), 'sequence'],
            ['Created', time(live.created), 'created'],
            ['Signed by', el('span', { className: 'mono' }, dash(live.signer)), 'signer']
          ])),
          section('Today', 'model-today', facts([
            ['CP@' + dash(today.k), number(today.cpAtK, 3), 'cp-at-k'],
            ['Labeled', integer(today.labeled), 'labeled'],
            ['Throughput', withUnit(today.throughputTps, 1, 'tx/s'), 'throughput'],
            ['Latency p50', withUnit(today.p50Ms, 1, 'ms'), 'p50'],
            ['Latency p99', withUnit(today.p99Ms, 1, 'ms'), 'p99']
          ]))
        ]),
        section('Releases', 'model-releases', table('model-releases-table', [
          { title: 'Version' }, { title: 'Sequence', className: 'num' }, { title: 'Parent' }, { title: 'Created' },
          { title: 'Verified' }, { title: 'Gate metrics' }, { title: 'Note' }, { title: '' }
        ], releases.map(function (rel) {
          var isLive = rel.version === live.version;
          return el('tr', { 'data-version': rel.version, className: isLive ? 'current' : null }, [
            el('td', null, [el('strong', null, dash(rel.version)), isLive ? el('span', { className: 'badge badge-live' }, 'live') : null]),
            el('td', { className: 'num' }, dash(rel.sequence)),
            el('td', null, dash(rel.parent)),
            el('td', { className: 'nowrap' }, time(rel.created)),
            el('td', null, rel.verified === true ? 'yes' : rel.verified === false ? 'no' : '–'),
            el('td', null, metrics(rel.metrics)),
            el('td', { className: 'note' }, dash(rel.note)),
            el('td', null, isLive ? null : el('button', { type: 'button', className: 'button button-quiet button-small',
              'data-rollback': rel.version, onclick: function () { openRollback(rel.version); } }, 'Roll back'))
          ]);
        }), 'No adapter release on the adapters topic yet.')),
        section('Refused candidates', 'model-refusals', refusalsTable(refusals))
      ]);
      view.setAttribute('data-loaded', 'model');
    });
  }

  /** Gate metrics as "name value" pairs, numbers to 3 decimals. */
  function metrics(m) {
    var keys = m && typeof m === 'object' ? Object.keys(m).sort() : [];
    if (!keys.length) {
      return el('span', { className: 'muted' }, '–');
    }
    return el('dl', { className: 'metrics' }, keys.map(function (k) {
      return [el('dt', null, k), el('dd', null, value(m[k]))];
    }));
  }

  function value(v) {
    if (typeof v === 'number') {
      return !isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(3);
    }
    if (v && typeof v === 'object') {
      return metrics(v);
    }
    return dash(v);
  }

  /** The gate's refusals: when, the live adapter that stayed, the numbers it judged on, and why. */
  function refusalsTable(refusals) {
    return table('model-refusals-table', [
      { title: 'Decided' }, { title: 'Live adapter kept' }, { title: 'Gate metrics' }, { title: 'Why' }
    ], refusals.map(function (r) {
      return el('tr', { 'data-decided': r.decided }, [
        el('td', { className: 'nowrap' }, time(r.decided)),
        el('td', null, dash(r.live)),
        el('td', null, metrics(r.metrics)),
        el('td', { className: 'note' }, dash(r.reason))
      ]);
    }), 'No refused candidate on the gate topic.');
  }

  // the rollback dialog: the version must be typed to confirm
  var rollbackDialog = document.getElementById('rollback-dialog');
  var rollbackConfirm = document.getElementById('rollback-confirm');
  var rollbackSubmit = document.getElementById('rollback-submit');
  var rollbackResult = document.getElementById('rollback-result');
  var rollbackVersion = null;

  function openRollback(version) {
    rollbackVersion = version;
    document.getElementById('rollback-version').textContent = version;
    rollbackConfirm.value = '';
    rollbackConfirm.disabled = false;
    rollbackSubmit.disabled = true;
    rollbackResult.textContent = '';
    rollbackResult.className = 'result';
    rollbackDialog.showModal();
    rollbackConfirm.focus();
  }

  rollbackConfirm.addEventListener('input', function () {
    rollbackSubmit.disabled = rollbackConfirm.value !== rollbackVersion;
  });
  document.getElementById('rollback-cancel').addEventListener('click', function () {
    rollbackDialog.close();
  });
  document.getElementById('rollback-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if (rollbackConfirm.value !== rollbackVersion) {
      return;
    }
    rollbackSubmit.disabled = true;
    rollbackConfirm.disabled = true;
    rollbackResult.className = 'result result-sending';
    rollbackResult.textContent = 'Rolling back…';
    api('POST', '/api/rollback', { version: rollbackVersion, confirm: rollbackConfirm.value }).then(function (r) {
      var b = r.body || {};
      rollbackResult.className = 'result result-ok';
      rollbackResult.textContent = 'Published adapter ' + dash(b.version) + ' as sequence ' + dash(b.sequence)
        + ' (parent ' + dash(b.parent) + '). Scorers swap to it once they have verified it.';
      setTimeout(function () {
        rollbackDialog.close();
        if (view.getAttribute('data-view') === 'model') {
          route();
        }
      }, 1500);
    }, function (err) {
      rollbackResult.className = 'result result-error';
      rollbackResult.textContent = err.message;
      rollbackConfirm.disabled = false;
      rollbackSubmit.disabled = false;
    });
  });

  // ---- routing and the session ------------------------------------------------------------------------------------

  /** #/queue, #/case/{id}, #/search?..., #/model; anything else is the queue. */
  function route() {
    var hash = window.location.hash.replace(/^#\/?/, '');
    var q = hash.indexOf('?');
    var path = q < 0 ? hash : hash.substring(0, q);
    var params = new URLSearchParams(q < 0 ? '' : hash.substring(q + 1));
    var seq = ++renderSeq;
    view.removeAttribute('data-loaded');
    showNotice('');
    var rendering;
    if (path.indexOf('case/') === 0) {
      rendering = renderCase(seq, decodeURIComponent(path.substring(5)));
    } else if (path === 'search') {
      rendering = renderSearch(seq, params);
    } else if (path === 'model') {
      rendering = renderModel(seq);
    } else {
      rendering = renderQueue(seq);
    }
    rendering.catch(function (e) {
      if (seq === renderSeq && e.status !== 401) {
        showNotice(e.message || String(e));
      }
    });
  }

  document.getElementById('sign-out').addEventListener('click', function () {
    api('POST', '/logout').then(null, function () { /* signed out or not, the sign-in page comes next */ })
      .then(function () { window.location.assign('/login'); });
  });

  window.addEventListener('hashchange', route);

  api('GET', '/api/me').then(function (r) {
    session.analyst = (r.body && r.body.analyst) || '';
    session.csrf = (r.body && r.body.csrf) || '';
    document.getElementById('analyst').textContent = session.analyst;
    document.body.setAttribute('data-analyst', session.analyst);
    route();
  }, function (e) {
    if (e.status !== 401) {
      showNotice(e.message);
    }
  });
})();

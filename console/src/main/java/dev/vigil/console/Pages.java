package dev.vigil.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The two pages, from the classpath ({@code dev/vigil/console/web/login.html} and {@code app.html}, read once). The
 * sign-in page is filled per request: {@code {{csrf}}} becomes the sign-in CSRF token and {@code {{error}}} the error
 * text (both HTML-escaped; empty when there is none). A page without the placeholders gets a hidden {@code csrf} field
 * after its first {@code <form>} tag and the error in a {@code <p class="error" id="login-error">} after its
 * {@code <body>} tag. Without the files (a build without the front end) a plain built-in page stands in.
 */
final class Pages {

    static final String WEB = "/dev/vigil/console/web/";

    private static final String FALLBACK_LOGIN = """
            <!doctype html><html><head><meta charset="utf-8"><title>Vigil console: sign in</title></head>
            <body><h1>Vigil console</h1>{{error}}
            <form method="post" action="/login"><input type="hidden" name="csrf" value="{{csrf}}">
            <label>User <input name="username" autocomplete="username"></label>
            <label>Password <input name="password" type="password" autocomplete="current-password"></label>
            <button type="submit">Sign in</button></form></body></html>
            """;
    private static final String FALLBACK_APP = """
            <!doctype html><html><head><meta charset="utf-8"><title>Vigil console</title></head>
            <body><h1>Vigil console</h1><p>The front end is not in this build; the JSON API is at /api/.</p></body></html>
            """;

    private final String login;
    private final String app;

    Pages() {
        this.login = resource("login.html", FALLBACK_LOGIN);
        this.app = resource("app.html", FALLBACK_APP);
    }

    String app() {
        return app;
    }

    String login(String csrf, String error) {
        String page = login;
        String escapedError = error == null ? "" : escape(error);
        if (page.contains("{{error}}")) {
            page = page.replace("{{error}}", escapedError);
        } else if (!escapedError.isEmpty()) {
            page = afterTag(page, "<body", "<p class=\"error\" id=\"login-error\">" + escapedError + "</p>");
        }
        if (page.contains("{{csrf}}")) {
            page = page.replace("{{csrf}}", escape(csrf));
        } else {
            page = afterTag(page, "<form", "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">");
        }
        return page;
    }

    private static String afterTag(String page, String tag, String insert) {
        int start = page.toLowerCase(java.util.Locale.ROOT).indexOf(tag);
        int end = start < 0 ? -1 : page.indexOf('>', start);
        return end < 0 ? page + insert : page.substring(0, end + 1) + insert + page.substring(end + 1);
    }

    static boolean hasAssets() {
        return Pages.class.getResource(WEB) != null;
    }

    private static String resource(String name, String fallback) {
        try (InputStream in = Pages.class.getResourceAsStream(WEB + name)) {
            return in == null ? fallback : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEB + name, e);
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

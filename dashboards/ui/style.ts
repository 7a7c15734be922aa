/** The one style sheet, served at /ui/style.css (the CSP allows no inline styles). Colours meet WCAG AA contrast. */
export const STYLE_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;padding:.6em 1.2em;background:#123;color:#fff}
header a{color:#fff}header .brand{font-weight:700;text-decoration:none;font-size:1.2em}
nav ul{display:flex;gap:1em;list-style:none;margin:0;padding:0}nav a[aria-current]{text-decoration:underline 3px}
.who{display:flex;gap:1em;align-items:center;margin-left:auto;flex-wrap:wrap}.who form{margin:0}
main{padding:1em 1.5em;max-width:75em}footer{padding:1em 1.5em;color:#555}
table{border-collapse:collapse;margin:.5em 0 1.5em;background:#fff}th,td{border-bottom:1px solid #ccc;padding:.35em .7em;text-align:left;vertical-align:top}
.ok{color:#1b5e20}.bad{color:#b71c1c;font-weight:600}.muted{color:#555}
.state{padding:.1em .6em;border-radius:1em;color:#fff}.state.up{background:#1b5e20}.state.down{background:#b71c1c}.state.unknown{background:#555}
form.inline{display:inline}label{display:block;margin:.4em 0}input,button{font:inherit;padding:.25em .5em}
button{background:#0d47a1;color:#fff;border:0;border-radius:.3em;cursor:pointer}
.error{color:#b71c1c;font-weight:600}.notice{background:#e3f2fd;padding:.5em 1em}
.qr svg{width:220px;height:220px;background:#fff}code{background:#eee;padding:.1em .3em}
.pager{display:flex;gap:1em}.filters{display:flex;gap:1em;align-items:end;flex-wrap:wrap}
`;

/** The Content-Security-Policy of every page: nothing inline, nothing from elsewhere. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The one HTML page of the dashboard; the client script renders every screen into #app. */
export function shellHtml(base: string, assets: { script: string; styles: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>apf dashboard</title>
<link rel="stylesheet" href="${base}/assets/${assets.styles}">
<script type="module" src="${base}/assets/${assets.script}"></script>
</head>
<body>
<div id="app"><p class="loading">Loading the dashboard…</p></div>
<noscript><p>The apf dashboard needs JavaScript. The API itself is documented at <a href="/docs">/docs</a>.</p></noscript>
</body>
</html>
`;
}

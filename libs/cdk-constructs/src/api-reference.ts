import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The files of Swagger UI the reference page loads, from the pinned `swagger-ui-dist` (nothing fetched at run time). */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'];

/**
 * The API reference page: Swagger UI's static files and a page that renders `openapi.json` from the same
 * folder. Published beside the document (painel's site, `api/`); the local cloud serves the same files on
 * the API origin under `/docs/`. File name → content.
 */
export function apiReferencePage(title: string): Record<string, string> {
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files = Object.fromEntries(SWAGGER_UI_FILES.map((f) => [f, readFileSync(join(dist, f), 'utf8')]));
  const escaped = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    ...files,
    'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escaped}</title>
    <link rel="stylesheet" href="swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="swagger-ui-bundle.js"></script>
    <script src="reference.js"></script>
  </body>
</html>
`,
    // A file of its own, not an inline script, so a strict Content-Security-Policy can hold.
    'reference.js': `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', window.location.href).toString(),
    dom_id: '#swagger-ui',
    deepLinking: true,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
  });
});
`,
  };
}

/**
 * What `fontkit` resolves to inside a Lambda bundle. pdfkit needs fontkit (with brotli and the Unicode
 * tables, ~750 KiB minified) only to embed a TrueType/OpenType/WOFF font; the invoices are set in the PDF
 * standard fonts, which pdfkit draws from the AFM metrics shipped beside the bundle. Embedding a font in a
 * bundled function fails loudly instead of silently falling back.
 */
export function create(): never {
  throw new Error('Embedded fonts are not bundled with this function: use the PDF standard fonts');
}

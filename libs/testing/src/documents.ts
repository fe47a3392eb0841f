import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** The NF-e subset schema faturas' XML follows. */
export const NFE_XSD = join(root, 'apps', 'faturas', 'nfe', 'nfe-subset.xsd');

/** Validates an XML document against an XSD with the JDK's validator; `problem` says where and why. */
export function validateXml(xml: string, xsd = NFE_XSD): { valid: boolean; problem?: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'xsd-')), 'document.xml');
  writeFileSync(file, xml);
  const run = spawnSync('java', [join(root, 'tools', 'scripts', 'java', 'XsdValidate.java'), xsd, file], {
    encoding: 'utf8',
  });
  if (run.error) throw new Error(`Java 17+ is needed to validate XML: ${run.error.message}`);
  const out = `${run.stdout}${run.stderr}`.trim();
  return run.status === 0 ? { valid: true } : { valid: false, problem: out };
}

/** The text of a PDF, laid out as on the page (poppler's pdftotext: `apt-get install poppler-utils`). */
export function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pdf-')), 'document.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('pdftotext is needed to read PDFs in tests: apt-get install poppler-utils');
    throw error;
  }
}

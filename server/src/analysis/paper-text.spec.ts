import { Readable } from 'node:stream';
import { aPaperPdf, PAPER_TITLE_START } from '../../test/support/papers.js';
import { DomainError } from '../common/errors/domain-error.js';
import { extractPaperText, fitToBudget, readAll } from './paper-text.js';

const reasonOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.reason;
    throw error;
  }
  return null;
};

describe('extractPaperText', () => {
  it('extracts the text and page count of a PDF', async () => {
    const { bytes } = await aPaperPdf(3);
    const { text, pages } = await extractPaperText(bytes, 'runs/r/paper.pdf');
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text.startsWith(PAPER_TITLE_START)).toBe(true);
    expect(text).toContain('In conclusion, the curriculum is a free improvement.');
    expect(text).not.toMatch(/-- \d+ of \d+ --/);
    expect(text).not.toMatch(/ {2}|\n{3}/);
  });

  it('takes a text paper (Markdown, LaTeX) as it is', async () => {
    expect(await extractPaperText(Buffer.from('# Title\n\n\n\nBody   text'), 'runs/r/paper.md')).toEqual({ text: '# Title\n\nBody text', pages: null });
  });

  it('refuses bytes that are neither, a broken PDF, and a paper without text', async () => {
    expect(await reasonOf(extractPaperText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), 'k'))).toBe('PAPER_UNREADABLE');
    expect(await reasonOf(extractPaperText(Buffer.from('%PDF-1.7\nnot really a pdf'), 'k'))).toBe('PAPER_UNREADABLE');
    expect(await reasonOf(extractPaperText(Buffer.from('  \n\n '), 'k'))).toBe('PAPER_HAS_NO_TEXT');
  });
});

describe('readAll', () => {
  it('reads a stream and refuses one beyond the limit', async () => {
    expect((await readAll(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 'k', 4)).toString()).toBe('abcd');
    expect(await reasonOf(readAll(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 'k', 4))).toBe('PAPER_TOO_LARGE');
  });
});

describe('fitToBudget', () => {
  it('leaves a text within the budget alone', () => {
    expect(fitToBudget('short', 10)).toEqual({ text: 'short', truncated: false, omittedChars: 0 });
  });

  it('keeps the beginning and the end, marks the cut and says how much was omitted', () => {
    const text = `${'A'.repeat(500)}${'M'.repeat(1000)}${'Z'.repeat(500)}`;
    const fitted = fitToBudget(text, 1000);
    expect(fitted.truncated).toBe(true);
    expect(fitted.omittedChars).toBe(1000);
    expect(fitted.text.startsWith('A'.repeat(500))).toBe(true);
    expect(fitted.text.endsWith('Z'.repeat(250))).toBe(true);
    expect(fitted.text).toContain('[... 1000 characters omitted to fit the analysis budget ...]');
  });
});

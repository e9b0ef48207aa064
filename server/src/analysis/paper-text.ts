import { PDFParse } from 'pdf-parse';
import { paperHasNoText, paperTooLarge, paperUnreadable } from './analysis.errors.js';

/** Largest paper file read into memory for analysis. */
export const MAX_PAPER_BYTES = 64 * 1024 * 1024;

export interface PaperText {
  text: string;
  pages: number | null;
}

/** Reads a stored object into memory, refusing more than `maxBytes`. */
export async function readAll(stream: NodeJS.ReadableStream, key: string, maxBytes = MAX_PAPER_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes) {
      (stream as { destroy?: () => void }).destroy?.();
      throw paperTooLarge(key, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The paper's text: a PDF through pdf-parse, or UTF-8 text (Markdown, LaTeX) as it is. */
export async function extractPaperText(bytes: Buffer, key: string): Promise<PaperText> {
  const isPdf = bytes.subarray(0, 1024).includes('%PDF-');
  let result: PaperText;
  if (isPdf) {
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      const parsed = await parser.getText();
      result = { text: parsed.text, pages: parsed.total };
    } catch (error) {
      throw paperUnreadable(key, `not a readable PDF (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      await parser.destroy().catch(() => undefined);
    }
  } else {
    if (bytes.includes(0)) throw paperUnreadable(key, 'neither a PDF nor text');
    result = { text: bytes.toString('utf8'), pages: null };
  }
  const text = normalize(result.text);
  if (text.length === 0) throw paperHasNoText(key);
  return { text, pages: result.pages };
}

// pdf-parse marks page breaks with "-- n of m --" lines; whitespace runs carry no meaning for the model.
function normalize(text: string): string {
  return text
    .replace(/^-- \d+ of \d+ --$/gm, '')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface TruncatedText {
  text: string;
  truncated: boolean;
  omittedChars: number;
}

/**
 * Fits a paper into the character budget deliberately: the beginning (abstract, method, results)
 * and the end (conclusion, limitations) are kept, the middle is cut, and the cut is marked in the text.
 */
export function fitToBudget(text: string, maxChars: number): TruncatedText {
  if (text.length <= maxChars) return { text, truncated: false, omittedChars: 0 };
  const head = Math.floor(maxChars * 0.75);
  const tail = maxChars - head;
  const omittedChars = text.length - head - tail;
  return {
    text: `${text.slice(0, head)}\n\n[... ${omittedChars} characters omitted to fit the analysis budget ...]\n\n${text.slice(text.length - tail)}`,
    truncated: true,
    omittedChars,
  };
}

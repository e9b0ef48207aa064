import { randomUUID } from 'node:crypto';
import { OBJECT_STORAGE, type ObjectStorage } from '../../src/artifacts/storage/object-storage.js';
import { renderPaperPdf } from '../../src/worker/artifacts.js';
import { postEvent, startedRun } from './ingest.js';
import type { TestApp } from './test-app.js';

export const PAPER_TITLE = 'Confidence-Driven Curriculum Label Smoothing for Small Vision Transformers';
/** The title's first line as the PDF's text layer has it (the title wraps). */
export const PAPER_TITLE_START = 'Confidence-Driven Curriculum Label Smoothing';

/** A real multi-page PDF paper (pdfkit, as the demo worker writes them) with `sections` sections of text. */
export async function aPaperPdf(sections = 3): Promise<{ bytes: Buffer; wordCount: number }> {
  const paragraph =
    'We anneal the label smoothing factor as the training confidence grows and compare it with a tuned constant baseline on CIFAR-100. ' +
    'The curriculum lowers validation loss and expected calibration error while adding no compute. ';
  return renderPaperPdf({
    title: PAPER_TITLE,
    authors: 'AI Scientist (automated run)',
    abstract: 'Label smoothing is a cheap regulariser; we schedule it. The schedule improves accuracy by 1.9 points.',
    sections: Array.from({ length: sections }, (_, i) => ({
      heading: i === sections - 1 ? 'Conclusion' : `Section ${i + 1}`,
      paragraphs: [paragraph.repeat(4), i === sections - 1 ? 'In conclusion, the curriculum is a free improvement. ' : paragraph],
    })),
    references: ['Szegedy et al. Rethinking the Inception Architecture. 2016.'],
  });
}

/** A STARTING run whose worker reported a generated paper, the PDF stored under runs/<id>/paper.pdf. */
export async function runWithPaper(app: TestApp, pdf: Buffer, wordCount = 1000): Promise<{ runId: string; key: string }> {
  const { runId, token } = await startedRun(app);
  const key = `runs/${runId}/paper.pdf`;
  await app.app.get<ObjectStorage>(OBJECT_STORAGE).putObject(key, pdf, 'application/pdf');
  const posted = await postEvent(
    app,
    {
      specversion: '1.0',
      id: randomUUID(),
      source: 'worker://test-host/lifecycle',
      type: 'ai.paper.generated',
      subject: `run/${runId}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { run_id: runId, artifact_key: key, word_count: wordCount },
    },
    token,
  );
  if (posted.status !== 201) throw new Error(`paper event refused: ${posted.status} ${JSON.stringify(posted.body)}`);
  return { runId, key };
}

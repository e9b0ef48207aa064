import { createHash } from 'node:crypto';
import pngjs from 'pngjs';
import { type FakeOrchestrator, startFakeOrchestrator } from '../../test/support/fake-orchestrator.js';
import { renderLineChart, renderPaperPdf, uploadArtifact } from './artifacts.js';
import { IngestClient } from './ingest-client.js';

const RED = [214, 39, 40] as const;
const BLUE = [31, 119, 180] as const;
const chart = {
  title: 'loss',
  series: [
    { name: 'train', color: BLUE, values: [2.3, 1.6, 1.2, 1.0, 0.9, 0.82, 0.78, 0.75] },
    { name: 'val', color: RED, values: [2.3, 1.7, 1.35, 1.15, 1.05, 0.98, 0.95, 0.93] },
  ],
};

function pixels(png: Buffer): Map<string, number> {
  const image = pngjs.PNG.sync.read(png);
  const counts = new Map<string, number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const key = `${image.data[i]},${image.data[i + 1]},${image.data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('renderLineChart', () => {
  it('draws a 640x400 chart on white with axes and one coloured curve per series', () => {
    const png = renderLineChart(chart);
    const image = pngjs.PNG.sync.read(png);
    const counts = pixels(png);

    expect([image.width, image.height]).toEqual([640, 400]);
    expect(counts.get('255,255,255')!).toBeGreaterThan(640 * 400 * 0.6);
    expect(counts.get('40,40,40')!).toBeGreaterThan(1_000);
    expect(counts.get(BLUE.join(','))!).toBeGreaterThan(500);
    expect(counts.get(RED.join(','))!).toBeGreaterThan(500);
  });

  it('puts lower values lower on the image', () => {
    const image = pngjs.PNG.sync.read(renderLineChart({ title: 'up', series: [{ name: 'rising', color: RED, values: [0, 1, 2, 3] }] }));
    const redRows = (x: number) => {
      const rows: number[] = [];
      for (let y = 0; y < image.height; y++) {
        const i = (y * image.width + x) * 4;
        if (image.data[i] === RED[0] && image.data[i + 1] === RED[1]) rows.push(y);
      }
      return rows;
    };
    expect(Math.min(...redRows(90))).toBeGreaterThan(Math.max(...redRows(600)));
  });
});

describe('renderPaperPdf', () => {
  it('writes a multi-page PDF with the figure embedded, and counts its words', async () => {
    const figure = renderLineChart(chart);
    const paragraph = 'Curriculum label smoothing anneals the smoothing factor as the training confidence grows. '.repeat(12);
    const { bytes, wordCount } = await renderPaperPdf({
      title: 'A test paper',
      authors: 'Tester',
      abstract: 'We test the renderer.',
      sections: [
        { heading: 'Introduction', paragraphs: [paragraph, paragraph] },
        { heading: 'Results', paragraphs: [paragraph], figure: { png: figure, caption: 'Figure 1: loss.' } },
      ],
      references: ['A. Author. A reference. 2024.'],
    });
    const text = bytes.toString('latin1');

    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text.match(/\/Type \/Page\b(?!s)/g)!.length).toBeGreaterThan(1);
    expect(text).toMatch(/\/Subtype \/Image/);
    expect(wordCount).toBe(3 + 3 + 1 + 12 * 12 * 3 + 2 + 2 + 6);
  });
});

describe('uploadArtifact', () => {
  let fake: FakeOrchestrator;
  let client: IngestClient;
  let events: [string, Record<string, unknown>][];
  const emit = async (type: string, data: Record<string, unknown>) => void events.push([type, data]);
  const file = { filename: 'loss.png', contentType: 'image/png', kind: 'plot', bytes: Buffer.from('not really a png') };

  beforeEach(async () => {
    fake = await startFakeOrchestrator({ runId: 'run-7' });
    client = new IngestClient({ baseUrl: fake.url, token: fake.token, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, log: () => undefined });
    events = [];
  });
  afterEach(() => fake.close());

  it('presigns, PUTs the bytes without the bearer token, and registers key, size, sha256, type and kind', async () => {
    const result = await uploadArtifact(client, emit, 'run-7', file);

    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    expect(result).toEqual({ ok: true, key: 'runs/run-7/loss.png', bytes: file.bytes.length, sha256 });
    expect(fake.presigns).toEqual([{ action: 'put', filename: 'loss.png', content_type: 'image/png', kind: 'plot' }]);
    expect(fake.uploads.get('runs/run-7/loss.png')).toEqual({ key: 'runs/run-7/loss.png', bytes: file.bytes, contentType: 'image/png' });
    expect(fake.requests.find((r) => r.method === 'PUT')!.hadAuthorization).toBe(false);
    expect(events).toEqual([['ai.artifact.registered', { key: 'runs/run-7/loss.png', bytes: file.bytes.length, sha256, content_type: 'image/png', kind: 'plot' }]]);
  });

  it('posts ai.artifact.failed when the presign is refused', async () => {
    const result = await uploadArtifact(client, emit, 'run-7', { ...file, filename: '../escape.png' });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'PRESIGN_FAILED' }));
    expect(events).toEqual([['ai.artifact.failed', { key: 'runs/run-7/../escape.png', code: 'PRESIGN_FAILED', message: expect.stringContaining('HTTP 400') }]]);
  });

  it('posts ai.artifact.failed with the presigned key when the PUT keeps failing', async () => {
    fake.failNext(5, { status: 503, path: /^\/upload\// });
    const result = await uploadArtifact(client, emit, 'run-7', file);

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'UPLOAD_FAILED', key: 'runs/run-7/loss.png' }));
    expect(events).toEqual([['ai.artifact.failed', { key: 'runs/run-7/loss.png', code: 'UPLOAD_FAILED', message: 'PUT failed: HTTP 503: injected failure' }]]);
    expect(fake.uploads.size).toBe(0);
  });
});

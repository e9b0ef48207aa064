import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import pngjs from 'pngjs';
import type { EventData, IngestClient } from './ingest-client.js';

export type Rgb = readonly [number, number, number];

export interface ChartSeries {
  name: string;
  color: Rgb;
  /** y values at x = 1, 2, 3, ... */
  values: number[];
}

export interface LineChart {
  title: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

// 3x5 pixel digits for tick labels: a chart without numbers on its axes is not a chart.
const GLYPHS: Record<string, string> = {
  '0': '111101101101111', '1': '010110010010111', '2': '111001111100111', '3': '111001111001111',
  '4': '101101111001001', '5': '111100111001111', '6': '111100111101111', '7': '111001001001001',
  '8': '111101111101111', '9': '111101111001111', '.': '000000000000010', '-': '000000111000000',
};

const GRID: Rgb = [225, 225, 225];
const INK: Rgb = [40, 40, 40];

class Canvas {
  readonly png: InstanceType<typeof pngjs.PNG>;

  constructor(readonly width: number, readonly height: number) {
    this.png = new pngjs.PNG({ width, height });
    this.png.data.fill(255);
  }

  set(x: number, y: number, [r, g, b]: Rgb): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const i = (py * this.width + px) * 4;
    this.png.data[i] = r;
    this.png.data[i + 1] = g;
    this.png.data[i + 2] = b;
    this.png.data[i + 3] = 255;
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.set(x + i, y + j, color);
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    const r = Math.floor(thickness / 2);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      this.rect(Math.round(x) - r, Math.round(y) - r, thickness, thickness, color);
    }
  }

  text(x: number, y: number, text: string, color: Rgb, scale = 2): void {
    [...text].forEach((ch, k) => {
      const glyph = GLYPHS[ch];
      if (!glyph) return;
      for (let p = 0; p < 15; p++) {
        if (glyph[p] === '1') this.rect(x + k * 4 * scale + (p % 3) * scale, y + Math.floor(p / 3) * scale, scale, scale, color);
      }
    });
  }
}

/** A line chart (axes, grid, tick labels, one coloured curve per series, legend swatches) as PNG bytes. */
export function renderLineChart(chart: LineChart): Buffer {
  const width = chart.width ?? 640;
  const height = chart.height ?? 400;
  const canvas = new Canvas(width, height);
  const box = { left: 72, right: width - 24, top: 24, bottom: height - 48 };
  const all = chart.series.flatMap((s) => s.values);
  const points = Math.max(2, ...chart.series.map((s) => s.values.length));
  const yTicks = niceTicks(Math.min(...all), Math.max(...all));
  const [yMin, yMax] = [yTicks[0], yTicks[yTicks.length - 1]];
  const px = (i: number) => box.left + ((box.right - box.left) * i) / (points - 1);
  const py = (v: number) => box.bottom - ((box.bottom - box.top) * (v - yMin)) / (yMax - yMin || 1);

  for (const tick of yTicks) {
    canvas.line(box.left, py(tick), box.right, py(tick), GRID);
    const label = formatTick(tick);
    canvas.text(box.left - 10 - label.length * 8, py(tick) - 5, label, INK);
  }
  const xStep = Math.max(1, Math.ceil(points / 10));
  for (let i = 0; i < points; i += xStep) {
    canvas.line(px(i), box.bottom, px(i), box.bottom + 5, INK);
    const label = String(i + 1);
    canvas.text(px(i) - label.length * 4, box.bottom + 12, label, INK);
  }
  canvas.line(box.left, box.top, box.left, box.bottom, INK, 2);
  canvas.line(box.left, box.bottom, box.right, box.bottom, INK, 2);

  for (const series of chart.series) {
    series.values.forEach((v, i) => {
      if (i > 0) canvas.line(px(i - 1), py(series.values[i - 1]), px(i), py(v), series.color, 3);
      canvas.rect(px(i) - 3, py(v) - 3, 7, 7, series.color);
    });
  }
  chart.series.forEach((series, k) => {
    canvas.rect(box.right - 60, box.top + 10 + k * 16, 40, 6, series.color);
  });
  // The "sub" filter compresses flat plot colours well at a fraction of adaptive filtering's cost.
  return pngjs.PNG.sync.write(canvas.png, { filterType: 1 });
}

function niceTicks(min: number, max: number): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t < max + step - 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks.length > 1 ? ticks : [ticks[0] ?? 0, (ticks[0] ?? 0) + step];
}

function formatTick(value: number): string {
  return String(Number(value.toFixed(Math.abs(value) >= 10 ? 0 : 2)));
}

export interface PaperSection {
  heading: string;
  paragraphs: string[];
  figure?: { png: Buffer; caption: string };
}

export interface Paper {
  title: string;
  authors: string;
  abstract: string;
  sections: PaperSection[];
  references: string[];
}

/** The paper as a real, multi-page PDF; word_count counts the words of its text. */
export async function renderPaperPdf(paper: Paper): Promise<{ bytes: Buffer; wordCount: number }> {
  const doc = new PDFDocument({ size: 'LETTER', margin: 72, info: { Title: paper.title, Author: paper.authors, Creator: 'AI Scientist demo worker' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  doc.font('Times-Bold').fontSize(18).text(paper.title, { align: 'center' });
  doc.moveDown(0.5).font('Times-Italic').fontSize(11).text(paper.authors, { align: 'center' });
  doc.moveDown(1.5).font('Times-Bold').fontSize(11).text('Abstract', { align: 'center' });
  doc.moveDown(0.3).font('Times-Roman').fontSize(10).text(paper.abstract, { align: 'justify', indent: 18 });

  paper.sections.forEach((section, index) => {
    doc.moveDown(1.2).font('Times-Bold').fontSize(13).text(`${index + 1}  ${section.heading}`, { align: 'left' });
    for (const paragraph of section.paragraphs) doc.moveDown(0.5).font('Times-Roman').fontSize(11).text(paragraph, { align: 'justify' });
    if (section.figure) {
      // Keep a figure and its caption together on one page.
      if (doc.y + 280 > doc.page.height - doc.page.margins.bottom) doc.addPage();
      doc.moveDown(0.8);
      doc.image(section.figure.png, (doc.page.width - 384) / 2, doc.y, { width: 384 });
      doc.moveDown(0.4).font('Times-Italic').fontSize(9).text(section.figure.caption, doc.page.margins.left, doc.y, { align: 'center' });
    }
  });

  doc.addPage().font('Times-Bold').fontSize(13).text('References');
  paper.references.forEach((reference, i) => doc.moveDown(0.4).font('Times-Roman').fontSize(10).text(`[${i + 1}] ${reference}`));
  doc.end();
  await ended;

  const text = [paper.title, paper.abstract, ...paper.sections.flatMap((s) => [s.heading, ...s.paragraphs, s.figure?.caption ?? '']), ...paper.references];
  const wordCount = text.join(' ').split(/\s+/).filter(Boolean).length;
  return { bytes: Buffer.concat(chunks), wordCount };
}

export interface ArtifactFile {
  filename: string;
  contentType: string;
  kind: string;
  bytes: Buffer;
}

export type UploadResult = { ok: true; key: string; bytes: number; sha256: string } | { ok: false; key: string; code: string; message: string };

/**
 * The spec's upload flow: presign a PUT, PUT the bytes, then post ai.artifact.registered, or
 * ai.artifact.failed when either step fails for good.
 */
export async function uploadArtifact(
  client: IngestClient,
  emit: (type: string, data: EventData) => Promise<void>,
  runId: string,
  file: ArtifactFile,
): Promise<UploadResult> {
  const result = await transfer(client, runId, file);
  if (result.ok) {
    await emit('ai.artifact.registered', { key: result.key, bytes: result.bytes, sha256: result.sha256, content_type: file.contentType, kind: file.kind });
  } else {
    await emit('ai.artifact.failed', { key: result.key, code: result.code, message: result.message });
  }
  return result;
}

async function transfer(client: IngestClient, runId: string, file: ArtifactFile): Promise<UploadResult> {
  const intendedKey = `runs/${runId}/${file.filename}`;
  const presigned = await client.presign(runId, { action: 'put', filename: file.filename, content_type: file.contentType, kind: file.kind });
  if (!presigned.ok) return { ok: false, key: intendedKey, code: 'PRESIGN_FAILED', message: `presign refused: ${presigned.reason}` };
  let target: { url?: unknown; key?: unknown };
  try {
    target = JSON.parse(presigned.body) as typeof target;
  } catch {
    target = {};
  }
  if (typeof target.url !== 'string' || typeof target.key !== 'string') {
    return { ok: false, key: intendedKey, code: 'PRESIGN_FAILED', message: 'presign response has no url and key' };
  }
  const put = await client.put(target.url, file.bytes, file.contentType);
  if (!put.ok) return { ok: false, key: target.key, code: 'UPLOAD_FAILED', message: `PUT failed: ${put.reason}` };
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  return { ok: true, key: target.key, bytes: file.bytes.length, sha256 };
}

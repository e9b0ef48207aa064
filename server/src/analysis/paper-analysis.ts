/** Domain types of a run's LLM paper analysis (never a stored document or a GraphQL model). */
import type { LlmUsage } from '../infra/llm/llm.client.js';

export enum PaperAnalysisStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}

export const UNFINISHED_ANALYSIS_STATUSES: readonly PaperAnalysisStatus[] = [PaperAnalysisStatus.QUEUED, PaperAnalysisStatus.RUNNING];

/** The seed's quantitative scores. */
export interface QuantitativeScores {
  quality: number;
  faithfulness: number;
  innovation: number;
  efficiency: number;
  successRate: number;
  reliability: number;
  reproducibility: number;
}

export type ScoreName = keyof QuantitativeScores;

/** Each score's range, stated to the model in the schema and enforced on its answer. */
export const SCORE_RANGES: { [K in ScoreName]: { min: number; max: number; meaning: string } } = {
  quality: { min: 0, max: 10, meaning: 'overall scientific and writing quality' },
  faithfulness: { min: 0, max: 10, meaning: 'how faithfully the claims follow from the reported experiments and data' },
  innovation: { min: 0, max: 10, meaning: 'originality of the idea and method' },
  efficiency: { min: 0, max: 10, meaning: 'how economical the method and experiments are in compute and effort for what they show' },
  successRate: { min: 0, max: 1, meaning: 'fraction of the stated goals and hypotheses the results actually achieved or supported' },
  reliability: { min: 0, max: 10, meaning: 'robustness of the results: baselines, ablations, seeds, error bars' },
  reproducibility: { min: 0, max: 10, meaning: 'whether the paper gives enough detail (data, settings, code) to reproduce it' },
};

export const SCORE_NAMES = Object.keys(SCORE_RANGES) as ScoreName[];

/** The seed's qualitative assessment. */
export interface QualitativeAssessment {
  tradeoffs: string;
  hypothesisProof: string;
  conclusion: string;
  novelty: string;
  recommendations: string;
}

/** Which text the analysis read: a long paper is cut deliberately, and the analysis says so. */
export interface AnalyzedPaper {
  artifactKey: string;
  pages: number | null;
  /** Characters of text extracted from the paper. */
  extractedChars: number;
  /** Characters sent to the model (extractedChars unless truncated). */
  analyzedChars: number;
  truncated: boolean;
}

export interface PaperAnalysis {
  id: string;
  runId: string;
  status: PaperAnalysisStatus;
  requestedBy: string;
  /** False once a newer analysis of the run replaced it (kept as history). */
  current: boolean;
  /** Job attempts started so far. */
  attempts: number;
  paper: AnalyzedPaper | null;
  quantitative: QuantitativeScores | null;
  qualitative: QualitativeAssessment | null;
  models: { quantitative: string; qualitative: string } | null;
  usage: LlmUsage | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  supersededAt: Date | null;
}

/** Fields one status change writes together with the status. */
export type PaperAnalysisUpdate = Partial<
  Pick<PaperAnalysis, 'attempts' | 'paper' | 'quantitative' | 'qualitative' | 'models' | 'usage' | 'errorCode' | 'errorMessage' | 'startedAt' | 'completedAt'>
> & { status: PaperAnalysisStatus; updatedAt: Date };

export function newPaperAnalysis(fields: Pick<PaperAnalysis, 'id' | 'runId' | 'requestedBy' | 'createdAt'>): PaperAnalysis {
  return {
    status: PaperAnalysisStatus.QUEUED,
    current: true,
    attempts: 0,
    paper: null,
    quantitative: null,
    qualitative: null,
    models: null,
    usage: null,
    errorCode: null,
    errorMessage: null,
    updatedAt: fields.createdAt,
    startedAt: null,
    completedAt: null,
    supersededAt: null,
    ...fields,
  };
}

import type { Page, PageRequest } from '../../common/pagination/cursor.js';
import type { IdeationStatus } from '../hypothesis.js';
import type { IdeationCounts, IdeationRequest, IdeationUpdate } from './ideation-request.js';

export const IDEATIONS_REPOSITORY = Symbol('IDEATIONS_REPOSITORY');

export interface IdeationFilter {
  status?: IdeationStatus;
  hypothesisId?: string;
}

/** Port for ideation requests; kept honest by test/contract/ideations.repository.contract.ts. */
export interface IdeationsRepository {
  insert(request: IdeationRequest): Promise<IdeationRequest>;
  findById(id: string): Promise<IdeationRequest | null>;
  list(filter: IdeationFilter, page: PageRequest): Promise<Page<IdeationRequest>>;
  count(filter: IdeationFilter): Promise<number>;
  /** How many requests are in each status (all four present), counted by the store. */
  countByStatus(filter: Omit<IdeationFilter, 'status'>): Promise<IdeationCounts>;
  /** Compare-and-set: applies the update only while the status is one of `from`; null otherwise. */
  update(id: string, from: readonly IdeationStatus[], update: IdeationUpdate): Promise<IdeationRequest | null>;
  /** Ids of requests in the given statuses, oldest first (to re-queue lost jobs at start-up). */
  listIdsByStatus(statuses: readonly IdeationStatus[]): Promise<string[]>;
}

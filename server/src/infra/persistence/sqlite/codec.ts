/** Small conversions between domain values and SQLite columns (ms timestamps, JSON text, 0/1). */
export const toMs = (date: Date | null | undefined): number | null => (date ? date.getTime() : null);
export const fromMs = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
export const toJson = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
export const fromJson = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
export const toBit = (value: boolean): number => (value ? 1 : 0);

/** `?, ?, ?` for an IN list of n values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

import { useSearchParams } from 'react-router';
import { changeFilters, parseRunFilters, writeRunFilters, type RunFilters } from './run-filters';

/** The run table's filters, read from and written to the URL (each change is a history entry). */
export function useRunFilters(): [RunFilters, (patch: Partial<RunFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = parseRunFilters(params);
  const update = (patch: Partial<RunFilters>) => setParams((current) => writeRunFilters(changeFilters(parseRunFilters(current), patch), current));
  return [filters, update];
}

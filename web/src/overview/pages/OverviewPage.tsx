import { usePageTitle } from '../../common/hooks/usePageTitle';
import { RunTable } from '../../runs/components/RunTable';
import { StatusCounts } from '../components/StatusCounts';

/** The dashboard: runs per status and the run table, live. */
export function OverviewPage() {
  usePageTitle('Overview');
  return (
    <div className="overview">
      <h1>Overview</h1>
      <StatusCounts />
      <RunTable />
    </div>
  );
}

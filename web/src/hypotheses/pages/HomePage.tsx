import { usePageTitle } from '../../common/hooks/usePageTitle';
import { CreateHypothesisForm } from '../components/CreateHypothesisForm';
import { HypothesisHistoryList } from '../components/HypothesisHistoryList';

/** Submit a hypothesis; see earlier ones and their runs. */
export function HomePage() {
  usePageTitle(null);
  return (
    <div className="home">
      <h1 className="visually-hidden">Hypotheses</h1>
      <CreateHypothesisForm />
      <HypothesisHistoryList />
    </div>
  );
}

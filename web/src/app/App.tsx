import { CreateHypothesisForm } from '../hypotheses/components/CreateHypothesisForm';
import { RecentRuns } from '../runs/components/RecentRuns';
import { TokenPrompt } from './TokenPrompt';

export function App() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Orchestrator</h1>
        <TokenPrompt />
      </header>
      <CreateHypothesisForm />
      <RecentRuns />
    </main>
  );
}

import { useEffect } from 'react';

/** Sets the document title while the page is shown ("<title> · Orchestrator"). */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Orchestrator` : 'Orchestrator';
  }, [title]);
}

import { useMutation } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../../common/errors';
import { ExtractHypothesisFromChatGptDocument } from '../../gql/graphql';
import { shareLinkProblem } from './hypothesis-form';

export interface ImportedHypothesis {
  title: string;
  idea: string;
  url: string;
}

/**
 * "Import from a ChatGPT share link": the server reads the conversation (with the LLM when one is
 * configured) and the title and idea fill the form for review. Nothing is stored until submitted.
 */
export function ChatGptImport({ onImported }: { onImported: (imported: ImportedHypothesis) => void }) {
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const id = useId();
  const [extract, { loading, error, data, reset }] = useMutation(ExtractHypothesisFromChatGptDocument);

  // Reading a long conversation with an LLM takes a while: show that it is still going.
  useEffect(() => {
    if (!loading) return;
    setSeconds(0);
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [loading]);

  const result = data?.extractHypothesisFromChatGpt;
  return (
    <details className="chatgpt-import">
      <summary>Import from a ChatGPT share link</summary>
      <div className="field">
        <label htmlFor={`${id}-url`}>Share link</label>
        <div className="row">
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            value={url}
            placeholder="https://chatgpt.com/share/…"
            aria-invalid={!!problem}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(e) => {
              setUrl(e.target.value);
              setProblem(null);
              reset();
            }}
          />
          <button
            type="button"
            className="button button-ghost"
            disabled={loading}
            onClick={() => {
              const found = shareLinkProblem(url);
              setProblem(found);
              if (found) return;
              void extract({ variables: { url: url.trim() } }).then(
                ({ data: extracted }) => {
                  if (extracted)
                    onImported({ title: extracted.extractHypothesisFromChatGpt.title, idea: extracted.extractHypothesisFromChatGpt.idea, url: url.trim() });
                },
                () => undefined,
              );
            }}
          >
            {loading ? 'Importing…' : 'Import'}
          </button>
        </div>
        {problem && (
          <p id={`${id}-problem`} className="field-error">
            {problem}
          </p>
        )}
      </div>
      <div aria-live="polite">
        {loading && (
          <p className="muted">
            <span className="spinner" aria-hidden="true" /> {seconds < 3 ? 'Fetching the shared conversation…' : `Reading the conversation… ${seconds} s`}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            Could not import the conversation: {errorMessage(error)}
          </p>
        )}
        {result && !loading && (
          <p className="ok">
            Imported “{result.title}” from {result.transcript.length} messages
            {result.method === 'LLM' ? `, summarised by ${result.model ?? 'the LLM'}` : ' (no LLM configured: the title and first message, verbatim)'}. Review
            the fields below, then submit.
          </p>
        )}
      </div>
    </details>
  );
}

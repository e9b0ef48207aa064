import { useMutation } from '@apollo/client/react';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { errorMessage } from '../../common/errors';
import { CreateHypothesisDocument, HypothesisHistoryDocument } from '../../gql/graphql';
import { ChatGptImport } from './ChatGptImport';
import { EMPTY_DRAFT, LIMITS, validateHypothesis, type HypothesisDraft, type HypothesisErrors } from './hypothesis-form';

const AUTHOR_KEY = 'orchestrator.author';
const savedAuthor = () => {
  try {
    return localStorage.getItem(AUTHOR_KEY) ?? '';
  } catch {
    return '';
  }
};

/**
 * Title and idea in (typed, or imported from a ChatGPT share link), a hypothesis and its first
 * QUEUED run out, with a link to watch it; or, with ideation, an LLM refinement queued first.
 */
export function CreateHypothesisForm() {
  const [draft, setDraft] = useState<HypothesisDraft>(() => ({ ...EMPTY_DRAFT, createdBy: savedAuthor() }));
  const [submitted, setSubmitted] = useState(false);
  // After a first attempt, errors follow the typing so they disappear once fixed.
  const errors: HypothesisErrors = submitted ? validateHypothesis(draft) : {};
  const ids = { title: useId(), idea: useId(), createdBy: useId(), reflections: useId() };
  const fields = {
    title: useRef<HTMLInputElement>(null),
    idea: useRef<HTMLTextAreaElement>(null),
    createdBy: useRef<HTMLInputElement>(null),
    reflections: useRef<HTMLInputElement>(null),
  };
  const [create, { loading, error, data, reset }] = useMutation(CreateHypothesisDocument, {
    refetchQueries: [HypothesisHistoryDocument],
  });

  const set = <K extends keyof HypothesisDraft>(key: K, value: HypothesisDraft[K]) => setDraft({ ...draft, [key]: value });

  const describedBy = (key: keyof HypothesisErrors, hint?: string) => [errors[key] ? `${ids[key]}-error` : null, hint].filter(Boolean).join(' ') || undefined;

  return (
    <Section title="New hypothesis" id="new-hypothesis">
      <form
        noValidate
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(true);
          const found = validateHypothesis(draft);
          const first = (['title', 'idea', 'createdBy', 'reflections'] as const).find((key) => found[key]);
          if (first) {
            fields[first].current?.focus();
            return;
          }
          reset();
          const createdBy = draft.createdBy.trim();
          try {
            localStorage.setItem(AUTHOR_KEY, createdBy);
          } catch {
            // storage unavailable: the name is simply not remembered
          }
          const ideation = draft.ideation ? { enableIdeation: true, reflections: Number(draft.reflections), autoLaunch: draft.autoLaunch } : {};
          void create({ variables: { input: { title: draft.title.trim(), idea: draft.idea.trim(), createdBy: createdBy || null, ...ideation } } }).then(
            () => {
              setDraft({ ...draft, title: '', idea: '', createdBy });
              setSubmitted(false);
            },
            () => undefined,
          );
        }}
      >
        <ChatGptImport
          onImported={(imported) => setDraft({ ...draft, title: imported.title.slice(0, LIMITS.title.max), idea: imported.idea.slice(0, LIMITS.idea.max) })}
        />
        <div className="field">
          <label htmlFor={ids.title}>Title</label>
          <input
            id={ids.title}
            ref={fields.title}
            value={draft.title}
            onChange={(e) => set('title', e.target.value)}
            aria-invalid={!!errors.title}
            aria-describedby={describedBy('title')}
            maxLength={LIMITS.title.max + 50}
            placeholder="e.g. Curriculum ordering speeds up small transformer training"
          />
          {errors.title && (
            <p id={`${ids.title}-error`} className="field-error">
              {errors.title}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.idea}>Idea</label>
          <textarea
            id={ids.idea}
            ref={fields.idea}
            value={draft.idea}
            onChange={(e) => set('idea', e.target.value)}
            aria-invalid={!!errors.idea}
            aria-describedby={describedBy('idea', `${ids.idea}-count`)}
            rows={6}
            placeholder="What should the experiments test, and how would you know it worked?"
          />
          <p id={`${ids.idea}-count`} className="hint">
            {draft.idea.trim().length.toLocaleString('en')} / {LIMITS.idea.max.toLocaleString('en')} characters
          </p>
          {errors.idea && (
            <p id={`${ids.idea}-error`} className="field-error">
              {errors.idea}
            </p>
          )}
        </div>
        <div className="field field-narrow">
          <label htmlFor={ids.createdBy}>Your name (optional)</label>
          <input
            id={ids.createdBy}
            ref={fields.createdBy}
            value={draft.createdBy}
            onChange={(e) => set('createdBy', e.target.value)}
            aria-invalid={!!errors.createdBy}
            aria-describedby={describedBy('createdBy', `${ids.createdBy}-hint`)}
            autoComplete="name"
          />
          <p id={`${ids.createdBy}-hint`} className="hint">
            Recorded as the author when the server has no API tokens; with a token, the token’s name is recorded.
          </p>
          {errors.createdBy && (
            <p id={`${ids.createdBy}-error`} className="field-error">
              {errors.createdBy}
            </p>
          )}
        </div>
        <fieldset className="ideation-options">
          <legend className="visually-hidden">Ideation</legend>
          <label className="inline-label check">
            <input type="checkbox" checked={draft.ideation} onChange={(e) => set('ideation', e.target.checked)} /> Refine the idea with the LLM first (ideation)
          </label>
          {draft.ideation && (
            <div className="row ideation-row">
              <div className="field field-inline">
                <label htmlFor={ids.reflections}>Reflections</label>
                <input
                  id={ids.reflections}
                  ref={fields.reflections}
                  type="number"
                  min={LIMITS.reflections.min}
                  max={LIMITS.reflections.max}
                  step={1}
                  value={draft.reflections}
                  onChange={(e) => set('reflections', e.target.value)}
                  aria-invalid={!!errors.reflections}
                  aria-describedby={describedBy('reflections', `${ids.reflections}-hint`)}
                />
                <p id={`${ids.reflections}-hint`} className="hint">
                  Rounds of critique-and-improve after the first draft (1 to 10).
                </p>
                {errors.reflections && (
                  <p id={`${ids.reflections}-error`} className="field-error">
                    {errors.reflections}
                  </p>
                )}
              </div>
              <label className="inline-label check">
                <input type="checkbox" checked={draft.autoLaunch} onChange={(e) => set('autoLaunch', e.target.checked)} /> Launch a run when the ideation
                completes
              </label>
            </div>
          )}
        </fieldset>
        <button type="submit" className="button" disabled={loading}>
          {loading ? 'Submitting…' : draft.ideation ? 'Submit and queue the ideation' : 'Submit and queue a run'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          Could not create the hypothesis: {errorMessage(error)}
        </p>
      )}
      {data?.createHypothesis.run && (
        <p className="ok" role="status">
          Queued a run for “{data.createHypothesis.hypothesis.title}” <StatusBadge status={data.createHypothesis.run.status} />{' '}
          <Link to={`/runs/${data.createHypothesis.run.id}`}>Watch the run →</Link>
        </p>
      )}
      {data?.createHypothesis.ideation && (
        <p className="ok" role="status">
          Queued an ideation of “{data.createHypothesis.hypothesis.title}” with {data.createHypothesis.ideation.reflections} reflections
          {data.createHypothesis.ideation.autoLaunch ? '; a run starts when it completes' : ''}.{' '}
          <Link to={`/ideation?selected=${data.createHypothesis.ideation.id}`}>Follow it →</Link>
        </p>
      )}
    </Section>
  );
}

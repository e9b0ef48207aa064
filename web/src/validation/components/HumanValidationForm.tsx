import { useMutation } from '@apollo/client/react';
import { useId, useRef, useState } from 'react';
import { errorMessage } from '../../common/errors';
import { SubmitHumanValidationDocument, type ValidationFieldsFragment, type Verdict } from '../../gql/graphql';
import {
  hasErrors,
  HUMAN_SCORE_MAX,
  NOTES_MAX,
  rubricItems,
  rubricOf,
  validateHumanReview,
  type HumanReviewDraft,
  type HumanReviewErrors,
} from './human-validation';

/** A reviewer's verdict, rubric scores and notes for a run that awaits review. */
export function HumanValidationForm({ runId, auto }: { runId: string; auto?: ValidationFieldsFragment }) {
  const items = rubricItems(auto);
  const [draft, setDraft] = useState<HumanReviewDraft>({ verdict: null, scores: Object.fromEntries(items.map((name) => [name, ''])), notes: '' });
  const [submitted, setSubmitted] = useState(false);
  // After a first attempt, errors follow the typing so they disappear once fixed.
  const errors: HumanReviewErrors = submitted ? validateHumanReview(draft) : {};
  const id = useId();
  const verdictGroup = useRef<HTMLFieldSetElement>(null);
  const [submit, { loading, error }] = useMutation(SubmitHumanValidationDocument);

  return (
    <form
      className="form human-form"
      aria-label="Human validation"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        const found = validateHumanReview(draft);
        if (hasErrors(found)) {
          if (found.verdict) verdictGroup.current?.querySelector('input')?.focus();
          else document.getElementById(`${id}-${Object.keys(found.scores ?? {})[0] ?? 'notes'}`)?.focus();
          return;
        }
        void submit({ variables: { runId, verdict: draft.verdict!, rubric: rubricOf(draft), notes: draft.notes.trim() || null } }).catch(() => undefined);
      }}
    >
      <fieldset ref={verdictGroup} className="verdict" aria-invalid={!!errors.verdict} aria-describedby={errors.verdict ? `${id}-verdict-error` : undefined}>
        <legend>Verdict</legend>
        {(['PASS', 'FAIL'] as Verdict[]).map((verdict) => (
          <label key={verdict} className={`verdict-option verdict-${verdict.toLowerCase()}`}>
            <input type="radio" name={`${id}-verdict`} value={verdict} checked={draft.verdict === verdict} onChange={() => setDraft({ ...draft, verdict })} />
            {verdict === 'PASS' ? 'Pass' : 'Fail'}
          </label>
        ))}
        {errors.verdict && (
          <p id={`${id}-verdict-error`} className="field-error">
            {errors.verdict}
          </p>
        )}
      </fieldset>
      <fieldset className="rubric">
        <legend>Rubric (0 to {HUMAN_SCORE_MAX}, optional)</legend>
        {items.map((name) => {
          const problem = errors.scores?.[name];
          return (
            <div key={name} className="rubric-item">
              <label htmlFor={`${id}-${name}`}>{name}</label>
              <input
                id={`${id}-${name}`}
                type="number"
                inputMode="decimal"
                min={0}
                max={HUMAN_SCORE_MAX}
                step={0.5}
                value={draft.scores[name]}
                aria-invalid={!!problem}
                aria-describedby={problem ? `${id}-${name}-error` : undefined}
                onChange={(e) => setDraft({ ...draft, scores: { ...draft.scores, [name]: e.target.value } })}
              />
              {problem && (
                <span id={`${id}-${name}-error`} className="field-error">
                  {problem}
                </span>
              )}
            </div>
          );
        })}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea
          id={`${id}-notes`}
          rows={4}
          value={draft.notes}
          maxLength={NOTES_MAX + 100}
          aria-invalid={!!errors.notes}
          aria-describedby={errors.notes ? `${id}-notes-error` : undefined}
          onChange={(e) => setDraft({ ...draft, notes: e.target.value })}
          placeholder="What convinced you, what is missing"
        />
        {errors.notes && (
          <p id={`${id}-notes-error`} className="field-error">
            {errors.notes}
          </p>
        )}
      </div>
      <button type="submit" className="button" disabled={loading}>
        {loading ? 'Submitting…' : 'Submit verdict'}
      </button>
      {error && (
        <p className="error" role="alert">
          Could not record the verdict: {errorMessage(error)}
        </p>
      )}
    </form>
  );
}

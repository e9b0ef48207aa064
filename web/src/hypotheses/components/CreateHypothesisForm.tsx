import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { CreateHypothesisDocument, RecentRunsDocument } from '../../gql/graphql';

/** Title and idea in, a hypothesis and its first QUEUED run out. */
export function CreateHypothesisForm() {
  const [title, setTitle] = useState('');
  const [idea, setIdea] = useState('');
  const [create, { loading, error, data }] = useMutation(CreateHypothesisDocument, {
    refetchQueries: [RecentRunsDocument],
  });

  return (
    <section className="card">
      <h2>New hypothesis</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          // The error, if any, is shown from the mutation state below.
          void create({ variables: { input: { title, idea } } }).then(
            () => {
              setTitle('');
              setIdea('');
            },
            () => undefined,
          );
        }}
      >
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} minLength={3} maxLength={200} required />
        </label>
        <label>
          Idea
          <textarea value={idea} onChange={(e) => setIdea(e.target.value)} minLength={10} maxLength={20000} rows={5} required />
        </label>
        <button type="submit" disabled={loading}>
          {loading ? 'Submitting…' : 'Submit and queue a run'}
        </button>
      </form>
      {error && <p className="error">{error.message}</p>}
      {data && <p className="ok">Queued run {data.createHypothesis.run.id} for “{data.createHypothesis.hypothesis.title}”.</p>}
    </section>
  );
}

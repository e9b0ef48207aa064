import { ApolloProvider } from '@apollo/client/react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTestClient } from '../../../test/support/test-client';
import type { ValidationFieldsFragment } from '../../gql/graphql';
import { HumanValidationForm } from './HumanValidationForm';
import { rubricOf, scoreMax, validateHumanReview } from './human-validation';

const auto: ValidationFieldsFragment = {
  id: 'v-auto',
  kind: 'AUTO',
  status: 'COMPLETED',
  verdict: 'PASS',
  scores: [
    { name: 'novelty', score: 7 },
    { name: 'clarity', score: 8 },
  ],
  notes: null,
  review: null,
  model: 'gpt-review',
  reviewer: null,
  rubricVersion: 'v2',
  startedAt: null,
  completedAt: null,
};

describe('human review rules', () => {
  it('needs a verdict, takes scores from 0 to 10 and sends only the scored items', () => {
    const draft = { verdict: null, scores: { novelty: '11', clarity: '', soundness: 'x' }, notes: '' };
    expect(validateHumanReview(draft)).toEqual({
      verdict: 'Choose pass or fail.',
      scores: { novelty: 'A number from 0 to 10.', soundness: 'A number from 0 to 10.' },
    });
    expect(validateHumanReview({ verdict: 'FAIL', scores: { novelty: '7.5', clarity: '' }, notes: 'ok' })).toEqual({});
    expect(rubricOf({ verdict: 'FAIL', scores: { novelty: '7.5', clarity: ' ' }, notes: '' })).toEqual([{ name: 'novelty', score: 7.5 }]);
  });

  it('shows automatic scores out of 10 and human ones on the scale they were given', () => {
    expect(scoreMax({ kind: 'AUTO', scores: [{ name: 'a', score: 3 }] })).toBe(10);
    expect(scoreMax({ kind: 'HUMAN', scores: [{ name: 'a', score: 8 }] })).toBe(10);
    expect(scoreMax({ kind: 'HUMAN', scores: [{ name: 'a', score: 80 }] })).toBe(100);
  });
});

describe('HumanValidationForm', () => {
  function setup(answer: () => unknown = () => ({ errors: [{ message: 'The run was already reviewed', extensions: { code: 'CONFLICT' } }] })) {
    const server = createTestClient({ SubmitHumanValidation: answer as never });
    render(
      <ApolloProvider client={server.client}>
        <HumanValidationForm runId="run-1" auto={auto} />
      </ApolloProvider>,
    );
    return server;
  }

  it('scores the automatic review’s rubric items and refuses to send without a verdict', async () => {
    const server = setup();
    expect(screen.getByRole('spinbutton', { name: 'novelty' })).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: 'clarity' })).toBeInTheDocument();
    await userEvent.type(screen.getByRole('spinbutton', { name: 'novelty' }), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Submit verdict' }));
    expect(screen.getByText('Choose pass or fail.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Pass' })).toHaveFocus();
    expect(screen.getByRole('spinbutton', { name: 'novelty' })).toHaveAccessibleDescription('A number from 0 to 10.');
    expect(server.calls('SubmitHumanValidation')).toHaveLength(0);
  });

  it('sends the verdict, the scored items and the notes, and shows a refusal', async () => {
    const server = setup();
    await userEvent.click(screen.getByRole('radio', { name: 'Fail' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'clarity' }), '4');
    await userEvent.type(screen.getByRole('textbox', { name: 'Notes' }), '  Baselines are missing.  ');
    await userEvent.click(screen.getByRole('button', { name: 'Submit verdict' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not record the verdict: The run was already reviewed');
    expect(server.calls('SubmitHumanValidation')[0].variables).toEqual({
      runId: 'run-1',
      verdict: 'FAIL',
      rubric: [{ name: 'clarity', score: 4 }],
      notes: 'Baselines are missing.',
    });
  });
});

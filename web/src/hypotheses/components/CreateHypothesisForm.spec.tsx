import { ApolloProvider } from '@apollo/client/react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { createTestClient } from '../../../test/support/test-client';
import { CreateHypothesisForm } from './CreateHypothesisForm';
import { EMPTY_DRAFT, shareLinkProblem, validateHypothesis } from './hypothesis-form';

const created = (input: { title: string }) => ({
  data: {
    createHypothesis: {
      __typename: 'CreateHypothesisPayload',
      hypothesis: {
        __typename: 'Hypothesis',
        id: 'h-1',
        title: input.title,
        idea: 'idea',
        createdAt: '2026-01-01T09:00:00.000Z',
        createdBy: 'ada',
        hidden: false,
        seed: false,
        chatGptUrl: null,
        ideation: null,
        runs: {
          __typename: 'RunConnection',
          totalCount: 1,
          nodes: [{ __typename: 'Run', id: 'run-1', status: 'QUEUED', createdAt: '2026-01-01T09:00:00.000Z' }],
        },
      },
      run: {
        __typename: 'Run',
        id: 'run-1',
        status: 'QUEUED',
        hidden: false,
        createdAt: '2026-01-01T09:00:00.000Z',
        updatedAt: '2026-01-01T09:00:00.000Z',
        createdBy: 'ada',
        startedAt: null,
        completedAt: null,
        failedAt: null,
        errorType: null,
        hypothesis: { __typename: 'Hypothesis', id: 'h-1', title: input.title },
        currentStage: null,
      },
      ideation: null,
    },
  },
});

function setup(
  answer: (variables: Record<string, unknown>) => ReturnType<typeof created> | Error | { errors: { message: string; extensions: { code: string } }[] } = (v) =>
    created(v.input as { title: string }),
) {
  const server = createTestClient({
    CreateHypothesis: answer,
    HypothesisHistory: () => ({
      data: {
        hypotheses: { __typename: 'HypothesisConnection', totalCount: 0, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null }, nodes: [] },
      },
    }),
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter>
        <CreateHypothesisForm />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const title = () => screen.getByRole('textbox', { name: 'Title' });
const idea = () => screen.getByRole('textbox', { name: 'Idea' });
const submit = () => userEvent.click(screen.getByRole('button', { name: 'Submit and queue a run' }));

describe('validateHypothesis', () => {
  it('applies the server rules to the trimmed text', () => {
    expect(validateHypothesis({ ...EMPTY_DRAFT, title: '  ab ', idea: 'x'.repeat(10), createdBy: '' })).toEqual({
      title: 'The title needs at least 3 characters.',
    });
    expect(validateHypothesis({ ...EMPTY_DRAFT, title: 'abc', idea: 'short', createdBy: '' })).toEqual({ idea: 'The idea needs at least 10 characters.' });
    expect(validateHypothesis({ ...EMPTY_DRAFT, title: 'a'.repeat(201), idea: 'x'.repeat(20_001), createdBy: 'n'.repeat(101) })).toEqual({
      title: 'The title can have at most 200 characters (it has 201).',
      idea: 'The idea can have at most 20,000 characters (it has 20,001).',
      createdBy: 'At most 100 characters.',
    });
    expect(validateHypothesis({ ...EMPTY_DRAFT, title: 'Fine title', idea: 'A long enough idea', createdBy: '' })).toEqual({});
  });

  it('asks for 1 to 10 whole reflections only with ideation', () => {
    const valid = { ...EMPTY_DRAFT, title: 'Fine title', idea: 'A long enough idea' };
    expect(validateHypothesis({ ...valid, reflections: '0' })).toEqual({});
    expect(validateHypothesis({ ...valid, ideation: true, reflections: '0' })).toEqual({ reflections: 'A whole number from 1 to 10.' });
    expect(validateHypothesis({ ...valid, ideation: true, reflections: '2.5' })).toEqual({ reflections: 'A whole number from 1 to 10.' });
    expect(validateHypothesis({ ...valid, ideation: true, reflections: '10' })).toEqual({});
  });

  it('recognises ChatGPT share links', () => {
    expect(shareLinkProblem('https://chatgpt.com/share/6780-abc')).toBeNull();
    expect(shareLinkProblem(' https://chat.openai.com/share/abc/ ')).toBeNull();
    expect(shareLinkProblem('https://chatgpt.com/c/abc')).toBe('A share link looks like https://chatgpt.com/share/<id>.');
    expect(shareLinkProblem('')).toBe('Paste a share link first.');
  });
});

describe('CreateHypothesisForm', () => {
  it('explains what is missing, focuses the first field to fix and sends nothing', async () => {
    const server = setup();
    await submit();
    expect(title()).toHaveAccessibleDescription('Give the hypothesis a title.');
    expect(title()).toHaveAttribute('aria-invalid', 'true');
    expect(idea()).toHaveAccessibleDescription(/Describe the idea to test\./);
    expect(title()).toHaveFocus();
    expect(server.calls('CreateHypothesis')).toHaveLength(0);
  });

  it('clears each error as it is fixed', async () => {
    setup();
    await submit();
    await userEvent.type(title(), 'Curriculum learning');
    expect(title()).toHaveAttribute('aria-invalid', 'false');
    expect(screen.queryByText('Give the hypothesis a title.')).not.toBeInTheDocument();
    expect(screen.getByText('Describe the idea to test.')).toBeInTheDocument();
  });

  it('submits the trimmed fields, links to the queued run and remembers the author', async () => {
    const server = setup();
    await userEvent.type(title(), '  Curriculum learning  ');
    await userEvent.type(idea(), 'Order examples by difficulty.');
    await userEvent.type(screen.getByRole('textbox', { name: 'Your name (optional)' }), 'Ada');
    await submit();
    expect(await screen.findByRole('link', { name: 'Watch the run →' })).toHaveAttribute('href', '/runs/run-1');
    expect(server.calls('CreateHypothesis')[0].variables).toEqual({
      input: { title: 'Curriculum learning', idea: 'Order examples by difficulty.', createdBy: 'Ada' },
    });
    expect(title()).toHaveValue('');
    expect(localStorage.getItem('orchestrator.author')).toBe('Ada');
  });

  it('shows what the server refused', async () => {
    setup(() => ({ errors: [{ message: 'title must be shorter than or equal to 200 characters', extensions: { code: 'BAD_USER_INPUT' } }] }));
    await userEvent.type(title(), 'Curriculum learning');
    await userEvent.type(idea(), 'Order examples by difficulty.');
    await submit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not create the hypothesis: title must be shorter than or equal to 200 characters');
  });

  it('queues an ideation instead of a run when asked, with the reflections and auto-launch chosen', async () => {
    const server = setup((v) => {
      const payload = created(v.input as { title: string });
      return {
        data: {
          createHypothesis: {
            ...payload.data.createHypothesis,
            run: null,
            ideation: { __typename: 'Ideation', id: 'i-1', status: 'QUEUED', reflections: 5, autoLaunch: false },
          },
        },
      } as unknown as ReturnType<typeof created>;
    });
    await userEvent.type(title(), 'Curriculum learning');
    await userEvent.type(idea(), 'Order examples by difficulty.');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Refine the idea with the LLM first (ideation)' }));
    const reflections = screen.getByRole('spinbutton', { name: 'Reflections' });
    await userEvent.clear(reflections);
    await userEvent.type(reflections, '11');
    await userEvent.click(screen.getByRole('button', { name: 'Submit and queue the ideation' }));
    expect(reflections).toHaveAccessibleDescription(/A whole number from 1 to 10\./);
    expect(reflections).toHaveFocus();

    await userEvent.clear(reflections);
    await userEvent.type(reflections, '5');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Launch a run when the ideation completes' }));
    await userEvent.click(screen.getByRole('button', { name: 'Submit and queue the ideation' }));
    expect(await screen.findByRole('link', { name: 'Follow it →' })).toHaveAttribute('href', '/ideation?selected=i-1');
    expect(server.calls('CreateHypothesis')[0].variables).toEqual({
      input: { title: 'Curriculum learning', idea: 'Order examples by difficulty.', createdBy: null, enableIdeation: true, reflections: 5, autoLaunch: false },
    });
  });

  it('imports the title and idea from a ChatGPT share link on request, showing its progress', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const server = createTestClient({
      ExtractHypothesisFromChatGpt: () => new Promise((resolve) => (answer = resolve)) as never,
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter>
          <CreateHypothesisForm />
        </MemoryRouter>
      </ApolloProvider>,
    );
    await userEvent.click(screen.getByText('Import from a ChatGPT share link'));
    const link = screen.getByLabelText('Share link');
    await userEvent.type(link, 'https://example.com/nope');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(link).toHaveAccessibleDescription('A share link looks like https://chatgpt.com/share/<id>.');
    expect(server.calls('ExtractHypothesisFromChatGpt')).toHaveLength(0);

    await userEvent.clear(link);
    await userEvent.type(link, 'https://chatgpt.com/share/abc-123');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText(/Fetching the shared conversation/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Importing…' })).toBeDisabled();
    answer({
      data: {
        extractHypothesisFromChatGpt: {
          __typename: 'ChatGptExtraction',
          title: 'Sparse attention for long documents',
          idea: 'Replace dense attention with a learned sparse pattern.',
          method: 'PLAIN',
          model: null,
          format: 'NEXT_DATA',
          transcript: [
            { __typename: 'ChatGptMessage', role: 'user' },
            { __typename: 'ChatGptMessage', role: 'assistant' },
          ],
        },
      },
    });
    expect(await screen.findByText(/Imported “Sparse attention for long documents” from 2 messages/)).toBeInTheDocument();
    expect(title()).toHaveValue('Sparse attention for long documents');
    expect(idea()).toHaveValue('Replace dense attention with a learned sparse pattern.');
    expect(server.calls('ExtractHypothesisFromChatGpt')[0].variables).toEqual({ url: 'https://chatgpt.com/share/abc-123' });
  });
});

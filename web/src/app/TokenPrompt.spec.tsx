import { ApolloProvider } from '@apollo/client/react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTestClient } from '../../test/support/test-client';
import { markAuthRequired, readToken, saveToken } from './auth';
import { TokenPrompt } from './TokenPrompt';

function setup() {
  const { client } = createTestClient();
  const resetStore = jest.spyOn(client, 'resetStore').mockResolvedValue(null);
  render(
    <ApolloProvider client={client}>
      <TokenPrompt />
    </ApolloProvider>,
  );
  return { resetStore };
}

describe('TokenPrompt', () => {
  afterEach(() => act(() => saveToken('')));

  it('opens by itself when the server asks for a token, saves it and fetches everything again', async () => {
    const { resetStore } = setup();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    act(() => markAuthRequired());
    expect(screen.getByRole('alert')).toHaveTextContent('This server requires an API token.');
    expect(screen.getByLabelText('API token', { selector: 'input' })).toHaveFocus();

    await userEvent.type(screen.getByLabelText('API token', { selector: 'input' }), ' ops-token-123 ');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(readToken()).toBe('ops-token-123');
    expect(resetStore).toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'API token ✓' })).toHaveAttribute('aria-expanded', 'false');
  });

  it('opens from its button, closes with Escape and forgets the token on request', async () => {
    act(() => saveToken('old-token'));
    setup();
    await userEvent.click(screen.getByRole('button', { name: 'API token ✓' }));
    expect(screen.getByRole('dialog', { name: 'API token' })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'API token ✓' }));
    await userEvent.click(screen.getByRole('button', { name: 'Forget' }));
    expect(readToken()).toBeNull();
  });
});

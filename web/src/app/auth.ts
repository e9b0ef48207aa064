import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'orchestrator.token';

type Listener = () => void;
const listeners = new Set<Listener>();
let authRequired = false;

const notify = () => listeners.forEach((listener) => listener());

/** The API token of this browser (local storage), or null when none is saved. */
export function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY) || null;
  } catch {
    // Storage can be unavailable (private mode, sandboxed frames): then there is no token.
    return null;
  }
}

/** Saves (or, when empty, forgets) the API token and tells every listener, so connections restart with it. */
export function saveToken(token: string): void {
  const trimmed = token.trim();
  if (trimmed) localStorage.setItem(TOKEN_KEY, trimmed);
  else localStorage.removeItem(TOKEN_KEY);
  authRequired = false;
  notify();
}

/** Called when the server refused a call for lack of a valid token: the token prompt opens. */
export function markAuthRequired(): void {
  if (authRequired) return;
  authRequired = true;
  notify();
}

export function isAuthRequired(): boolean {
  return authRequired;
}

/** Subscribes to token changes and auth refusals; returns the unsubscribe function. */
export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAuthState(): { token: string | null; authRequired: boolean } {
  const token = useSyncExternalStore(onAuthChange, readToken);
  const required = useSyncExternalStore(onAuthChange, isAuthRequired);
  return { token, authRequired: required };
}

export interface ApiToken {
  name: string;
  token: string;
}

const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const MIN_TOKEN_LENGTH = 16;

/** Parses `name:token,name:token` and reports every malformed pair without echoing tokens. */
export function parseApiTokens(value: string): { tokens: ApiToken[]; problems: string[] } {
  const tokens: ApiToken[] = [];
  const problems: string[] = [];
  const pairs = value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (pairs.length === 0) problems.push('must contain at least one name:token pair');
  pairs.forEach((pair, index) => {
    const at = `pair ${index + 1}`;
    const colon = pair.indexOf(':');
    if (colon < 0) return problems.push(`${at} must look like name:token`);
    const name = pair.slice(0, colon);
    const token = pair.slice(colon + 1);
    if (!NAME.test(name)) return problems.push(`${at} has an invalid name (letters, digits, _ . @ -; at most 64)`);
    if (token.length < MIN_TOKEN_LENGTH) return problems.push(`${at} (${name}) has a token shorter than ${MIN_TOKEN_LENGTH} characters`);
    if (tokens.some((t) => t.name === name)) return problems.push(`${at} repeats the name ${name}`);
    if (tokens.some((t) => t.token === token)) return problems.push(`${at} (${name}) reuses another name's token`);
    tokens.push({ name, token });
  });
  return { tokens, problems };
}

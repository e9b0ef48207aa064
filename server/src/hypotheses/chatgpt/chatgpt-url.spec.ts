import { DomainError } from '../../common/errors/domain-error.js';
import { parseShareUrl } from './chatgpt-url.js';

const ruleOf = (url: string, extra: string[] = []) => {
  try {
    parseShareUrl(url, extra);
  } catch (error) {
    if (error instanceof DomainError) return { reason: error.reason, rule: error.details.rule, message: error.message };
    throw error;
  }
  return null;
};

describe('parseShareUrl', () => {
  it('accepts share links on both hosts and normalises them', () => {
    expect(parseShareUrl('https://chatgpt.com/share/6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab?utm=x#top').href).toBe(
      'https://chatgpt.com/share/6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab',
    );
    expect(parseShareUrl('  https://CHAT.OPENAI.COM:443/share/abcdef12/ ').href).toBe('https://chat.openai.com/share/abcdef12');
  });

  it.each([
    ['http://chatgpt.com/share/abcdef12', 'https'],
    ['ftp://chatgpt.com/share/abcdef12', 'https'],
    ['https://example.com/share/abcdef12', 'host'],
    ['https://chatgpt.com.evil.example/share/abcdef12', 'host'],
    ['https://evil.example/?https://chatgpt.com/share/abcdef12', 'host'],
    ['https://sub.chatgpt.com/share/abcdef12', 'host'],
    ['https://chatgpt.com:8443/share/abcdef12', 'host'],
    ['https://chatgpt.com./share/abcdef12', 'host'],
    ['https://127.0.0.1/share/abcdef12', 'host'],
    ['https://user:pw@chatgpt.com/share/abcdef12', 'credentials'],
    ['https://chatgpt.com/c/abcdef12', 'path'],
    ['https://chatgpt.com/share/', 'path'],
    ['https://chatgpt.com/share/abcdef12/continue', 'path'],
    ['https://chatgpt.com/share/../c/abcdef12', 'path'],
    ['not a url', 'url'],
  ])('refuses %s (%s)', (url, rule) => {
    expect(ruleOf(url)).toMatchObject({ reason: 'CHATGPT_URL_INVALID', rule });
  });

  it('accepts a test origin only when it is given, exactly', () => {
    expect(ruleOf('http://127.0.0.1:4567/share/abcdef12')).toMatchObject({ rule: 'https' });
    expect(parseShareUrl('http://127.0.0.1:4567/share/abcdef12', ['http://127.0.0.1:4567']).href).toBe('http://127.0.0.1:4567/share/abcdef12');
    expect(ruleOf('http://127.0.0.1:4568/share/abcdef12', ['http://127.0.0.1:4567'])).toMatchObject({ rule: 'https' });
  });
});

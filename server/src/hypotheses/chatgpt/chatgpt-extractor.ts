import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { chatGptTestOrigins, Env } from '../../config/env.js';
import { LlmClient } from '../../infra/llm/llm.client.js';
import { validatedAnswer } from '../../infra/llm/structured-answer.js';
import { type ChatGptConversation, type ChatGptExtraction, type ChatGptMessage, ExtractionMethod } from './chatgpt-import.js';
import { conversationNotFound } from './chatgpt.errors.js';
import { fetchSharePage } from './chatgpt-page.fetcher.js';
import { parseSharePage } from './chatgpt-page.parser.js';
import { parseShareUrl } from './chatgpt-url.js';
import { CHATGPT_HYPOTHESIS_SCHEMA, ChatGptHypothesisAnswer } from './dto/chatgpt-hypothesis.answer.js';

// Most transcript characters sent to the model; a longer conversation keeps its beginning and end.
const TRANSCRIPT_BUDGET = 60_000;
const MAX_TITLE = 200;
const MAX_IDEA = 20_000;

/**
 * Turns a ChatGPT share link into a hypothesis: fetches the page (see fetchSharePage), reads the
 * conversation (see parseSharePage) and draws a title and an idea from it: with the configured LLM
 * when there is one, else plainly: the conversation's title and its first user message, verbatim.
 */
@Injectable()
export class ChatGptExtractor {
  private readonly extraOrigins: string[];

  constructor(
    private readonly env: Env,
    private readonly llm: LlmClient,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ChatGptExtractor.name);
    this.extraOrigins = chatGptTestOrigins(env);
  }

  /** The share link normalised, or BAD_USER_INPUT (CHATGPT_URL_INVALID) naming the broken rule. */
  validateUrl(url: string): URL {
    return parseShareUrl(url, this.extraOrigins);
  }

  async extract(url: string): Promise<ChatGptExtraction> {
    const shareUrl = this.validateUrl(url);
    const html = await fetchSharePage(shareUrl, { timeoutMs: this.env.CHATGPT_FETCH_TIMEOUT_MS, maxBytes: this.env.CHATGPT_MAX_PAGE_BYTES });
    const conversation = parseSharePage(html);
    if (!conversation) throw conversationNotFound(shareUrl.href, 'the page embeds no conversation and shows no messages');
    if (!conversation.messages.some((m) => m.role === 'user')) throw conversationNotFound(shareUrl.href, 'the conversation has no user message');
    this.logger.info({ url: shareUrl.href, format: conversation.format, messages: conversation.messages.length }, 'share page read');
    const drawn = this.llm.configured ? await this.withLlm(conversation) : plainly(conversation, shareUrl.href);
    return { ...drawn, transcript: conversation.messages, format: conversation.format };
  }

  private async withLlm(conversation: ChatGptConversation): Promise<Pick<ChatGptExtraction, 'title' | 'idea' | 'method' | 'model'>> {
    const result = await this.llm.complete({
      feature: 'ChatGPT extraction',
      model: this.env.CHATGPT_EXTRACTION_MODEL,
      format: CHATGPT_HYPOTHESIS_SCHEMA,
      messages: [
        {
          role: 'system',
          content:
            'You read a conversation between a researcher and ChatGPT and state the research hypothesis it arrived at. ' +
            'Use only what the conversation says; do not add claims, results or methods of your own.',
        },
        {
          role: 'user',
          content: `Conversation title: ${conversation.title ?? '(none)'}\n\nTranscript:\n"""\n${transcriptText(conversation.messages)}\n"""`,
        },
      ],
      parse: (value) => validatedAnswer(ChatGptHypothesisAnswer, value),
    });
    return { title: result.value.title.trim(), idea: result.value.idea.trim(), method: ExtractionMethod.LLM, model: result.model };
  }
}

/** No LLM: the conversation's title (else the first line of the first question) and the first user message. */
export function plainly(conversation: ChatGptConversation, url: string): Pick<ChatGptExtraction, 'title' | 'idea' | 'method' | 'model'> {
  const questions = conversation.messages.filter((m) => m.role === 'user').map((m) => m.text);
  let idea = questions[0];
  // A greeting is no idea: take everything the user wrote.
  if (idea.length < 10) idea = questions.join('\n\n');
  if (idea.length < 10) throw conversationNotFound(url, 'the user\'s messages are too short to state an idea (10 characters at least)');
  const firstLine = questions[0].split('\n')[0];
  let title = conversation.title ?? (firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine);
  if (title.length < 3) title = 'ChatGPT conversation';
  return {
    title: title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title,
    idea: idea.slice(0, MAX_IDEA),
    method: ExtractionMethod.PLAIN,
    model: null,
  };
}

function transcriptText(messages: ChatGptMessage[]): string {
  const text = messages.map((m) => `${m.role === 'user' ? 'User' : 'ChatGPT'}: ${m.text}`).join('\n\n');
  if (text.length <= TRANSCRIPT_BUDGET) return text;
  const head = Math.floor(TRANSCRIPT_BUDGET * 0.6);
  const tail = TRANSCRIPT_BUDGET - head;
  return `${text.slice(0, head)}\n\n[... ${text.length - head - tail} characters omitted ...]\n\n${text.slice(text.length - tail)}`;
}

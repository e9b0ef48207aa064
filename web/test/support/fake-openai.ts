import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const idea = (round: number) => ({
  name: `curriculum_smoothing_${round}`,
  title: `Curriculum label smoothing, version ${round}`,
  shortHypothesis: 'Ordering examples by difficulty while smoothing labels speeds up convergence.',
  abstract: 'We study curriculum ordering combined with label smoothing on small vision models.',
  experiments: ['Train ResNet-18 on CIFAR-10 with and without the curriculum.', 'Ablate the smoothing factor.'],
  riskFactorsAndLimitations: ['Small scale only.'],
  relatedWork: 'Builds on curriculum learning (Bengio et al., 2009).',
});

/** The answer to each structured request the orchestrator makes, by its JSON schema name. */
const ANSWERS: Record<string, (round: number) => unknown> = {
  paper_quantitative_scores: () => ({ quality: 7, faithfulness: 8, innovation: 6, efficiency: 7.5, successRate: 0.8, reliability: 6.5, reproducibility: 9 }),
  paper_qualitative_assessment: () => ({
    tradeoffs: 'Faster convergence for a small accuracy cost.',
    hypothesisProof: 'The experiments support the hypothesis on CIFAR-10.',
    conclusion: 'A solid small-scale study.',
    novelty: 'The combination is new; each part is known.',
    recommendations: 'Repeat on ImageNet with more seeds.',
  }),
  ai_scientist_idea: () => idea(0),
  ai_scientist_reflection: (round) => ({ critique: `Round ${round}: tighten the baselines.`, idea: idea(round) }),
};

/** A local OpenAI-compatible chat completions server that answers every structured request it knows. */
export async function startFakeOpenAi(): Promise<{ url: string; requests: string[]; stop: () => Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}') as { model?: string; response_format?: { json_schema?: { name?: string } } };
      const name = parsed.response_format?.json_schema?.name ?? '';
      requests.push(name);
      const answer = ANSWERS[name];
      if (!req.url?.endsWith('/chat/completions') || !answer) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `the fake has no answer for ${name || req.url}`, type: 'server_error' } }));
        return;
      }
      const round = requests.filter((r) => r === name).length;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model ?? 'fake-model',
          choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(answer(round)), refusal: null }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer } from 'node:http';

// The baseline for ingest: a bare node:http server that only splits the body into lines and
// JSON.parses each one. Everything the orchestrator does beyond that is its cost.
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let accepted = 0;
    for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
      if (line.trim().length === 0) continue;
      JSON.parse(line);
      accepted++;
    }
    res.writeHead(req.url === '/api/ingest/events' ? 202 : 201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted }));
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));

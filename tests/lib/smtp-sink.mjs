// A tiny SMTP server for tests (node:net, loopback only): it speaks just enough
// SMTP for libcurl (and the curl command line) and keeps every message it
// accepts, decoded. No TLS (STARTTLS is never advertised), no AUTH, no relay rules.
//
//   const sink = await startSmtpSink();          // { port: 0 } = any free port
//   ... send mail to smtp://127.0.0.1:${sink.port} ...
//   sink.messages  // [{ from, to: [...], data, headers, subject, text, at }]
//   sink.failNext(1, { at: 'rcpt', code: 451 });  // refuse the next message once
//   await sink.close();
//
// Options of startSmtpSink / failNext:
//   failFirst: N (start) / failNext(N): refuse the next N messages (MAIL transactions);
//   at: 'rcpt' (answer RCPT TO), 'data' (answer the DATA command, before 354) or
//       'end' (answer after the whole message was received); default 'rcpt';
//   code: 451 (temporary; default) or 554 (permanent), any 4xx/5xx code;
//   silent: true — accept connections and never answer (a hung server).
// Refused attempts are kept in `rejected` ({ from, to, at, code }); `attempts`
// counts every MAIL FROM, `connections` every TCP connection.
import { createServer } from 'node:net';

// RFC 2047 encoded words (=?charset?B|Q?text?=) in a header value, decoded as UTF-8;
// white space between two adjacent encoded words is dropped, as the RFC says.
export function decodeMimeWords(s) {
  if (!s) return s;
  const unfolded = s.replace(/\r?\n[ \t]+/g, ' ');
  const joined = unfolded.replace(/(\?=)[ \t]+(?==\?)/g, '$1');
  return joined.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) => {
    let bytes;
    if (enc.toUpperCase() === 'B') bytes = Buffer.from(text, 'base64');
    else {
      bytes = Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g,
        (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    }
    return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
  });
}

// Split a raw RFC 5322 message into headers (lower-case names, unfolded) and body,
// and decode the body by its Content-Transfer-Encoding (base64 and quoted-printable).
export function parseMessage(raw) {
  const sep = raw.search(/\r?\n\r?\n/);
  const head = sep < 0 ? raw : raw.slice(0, sep);
  const body = sep < 0 ? '' : raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  let text;
  if (cte === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (cte === 'quoted-printable') {
    text = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g,
      (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else text = body;
  return { headers, subject: decodeMimeWords(headers.subject || ''), text };
}

const addr = (arg) => {
  const m = /<([^>]*)>/.exec(arg);
  return (m ? m[1] : arg.trim().split(/\s+/)[0] || '').trim();
};

export async function startSmtpSink(opts = {}) {
  const messages = [];
  const rejected = [];
  const sockets = new Set();
  const fail = { left: opts.failFirst || 0, at: opts.at || 'rcpt', code: opts.code || 451 };
  const sink = {
    port: 0, messages, rejected, attempts: 0, connections: 0, silent: Boolean(opts.silent),
    failNext(n = 1, o = {}) {
      fail.left = n;
      fail.at = o.at || 'rcpt';
      fail.code = o.code || 451;
    },
    clear() { messages.length = 0; rejected.length = 0; sink.attempts = 0; },
    // Resolve when pred(sink) is true; reject after timeoutMs.
    async waitFor(pred, timeoutMs = 5000, what = 'condition') {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (pred(sink)) return;
        if (Date.now() > end) throw new Error(`smtp sink: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };

  const server = createServer((sock) => {
    sockets.add(sock);
    sink.connections++;
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    if (sink.silent) return; // a hung server: accept, then say nothing
    sock.setEncoding('latin1'); // bytes as they are; decoded as UTF-8 below
    const say = (line) => { if (!sock.destroyed) sock.write(`${line}\r\n`); };
    let buf = '';
    let tx = null; // { from, to: [], failing }
    let dataLines = null; // array while receiving DATA
    const reset = () => { tx = null; dataLines = null; };
    const failing = (at) => tx && tx.failing && fail.at === at;
    const refuse = () => {
      rejected.push({ from: tx.from, to: [...tx.to], at: fail.at, code: fail.code });
      tx.failing = false;
      tx.refused = true;
      const text = fail.code >= 500 ? 'Transaction failed (test sink)' : 'Try again later (test sink)';
      say(`${fail.code} ${fail.code >= 500 ? '5.0.0' : '4.3.0'} ${text}`);
    };

    const onLine = (line) => {
      if (dataLines) {
        if (line === '.') {
          const raw = Buffer.from(dataLines.join('\r\n') + '\r\n', 'latin1').toString('utf8');
          dataLines = null;
          if (failing('end')) { refuse(); tx = null; return; }
          messages.push({ from: tx.from, to: [...tx.to], data: raw, ...parseMessage(raw), at: Date.now() });
          tx = null;
          say('250 2.0.0 OK queued');
          return;
        }
        dataLines.push(line.startsWith('..') ? line.slice(1) : line); // dot-unstuffing
        return;
      }
      const m = /^(\S+)\s*(.*)$/.exec(line);
      const verb = (m ? m[1] : '').toUpperCase();
      const arg = m ? m[2] : '';
      switch (verb) {
        case 'EHLO':
          reset();
          say('250-smtp-sink.test greets you');
          say('250 8BITMIME');
          break;
        case 'HELO':
          reset();
          say('250 smtp-sink.test');
          break;
        case 'MAIL':
          if (!/^FROM:/i.test(arg)) { say('501 5.5.4 Syntax: MAIL FROM:<address>'); break; }
          sink.attempts++;
          tx = { from: addr(arg.slice(5)), to: [], failing: fail.left > 0 };
          if (tx.failing) fail.left--;
          say('250 2.1.0 OK');
          break;
        case 'RCPT':
          if (!tx) { say('503 5.5.1 Need MAIL first'); break; }
          if (!/^TO:/i.test(arg)) { say('501 5.5.4 Syntax: RCPT TO:<address>'); break; }
          tx.to.push(addr(arg.slice(3)));
          if (failing('rcpt')) { refuse(); break; }
          if (tx.refused) { say('503 5.5.1 Transaction refused'); break; }
          say('250 2.1.5 OK');
          break;
        case 'DATA':
          if (!tx || !tx.to.length || tx.refused) { say('503 5.5.1 Need RCPT first'); break; }
          if (failing('data')) { refuse(); tx = null; break; }
          dataLines = [];
          say('354 End data with <CR><LF>.<CR><LF>');
          break;
        case 'RSET':
          reset();
          say('250 2.0.0 OK');
          break;
        case 'NOOP':
          say('250 2.0.0 OK');
          break;
        case 'QUIT':
          say('221 2.0.0 Bye');
          sock.end();
          break;
        case 'VRFY':
          say('252 2.1.5 Cannot VRFY user');
          break;
        default:
          say('502 5.5.2 Command not implemented');
      }
    };

    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        onLine(line);
      }
    });
    say('220 smtp-sink.test ESMTP test sink');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port || 0, opts.host || '127.0.0.1', resolve);
  });
  sink.port = server.address().port;
  return sink;
}

// The shape the tests were told about: start({ port: 0 }) → { port, messages, close(), failNext(n) }.
export const start = startSmtpSink;
export default { start, startSmtpSink, decodeMimeWords, parseMessage };

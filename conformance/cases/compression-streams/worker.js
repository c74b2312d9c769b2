// CompressionStream / DecompressionStream round trips, decoding known bytes, and errors.
async function collect(readable) {
  const chunks = [];
  const reader = readable.getReader();
  for (;;) { const { value, done } = await reader.read(); if (done) break; chunks.push(value); }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}

async function through(stream, bytes) {
  const writer = stream.writable.getWriter();
  const done = collect(stream.readable);
  await writer.write(bytes);
  await writer.close();
  return done;
}

export default {
  async fetch() {
    const out = {};
    const text = "hello hello hello compression ".repeat(50);
    const input = new TextEncoder().encode(text);
    for (const format of ["gzip", "deflate", "deflate-raw"]) {
      const compressed = await through(new CompressionStream(format), input);
      const restored = await through(new DecompressionStream(format), compressed);
      out[format] = { smaller: compressed.length < input.length, roundTrip: new TextDecoder().decode(restored) === text };
    }
    // "hi" gzipped by another implementation.
    const known = new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 203, 200, 4, 0, 172, 42, 147, 216, 2, 0, 0, 0]);
    out.known = new TextDecoder().decode(await through(new DecompressionStream("gzip"), known));
    const piped = new Response(new Response(input).body.pipeThrough(new CompressionStream("gzip")))
      .body.pipeThrough(new DecompressionStream("gzip"));
    out.piped = (await new Response(piped).text()) === text;
    const errors = [];
    try { new CompressionStream("brotli"); errors.push("none"); } catch (e) { errors.push(e.name); }
    try { await through(new DecompressionStream("gzip"), new Uint8Array([1, 2, 3, 4])); errors.push("none"); } catch (e) { errors.push(e.name); }
    out.errors = errors;
    out.tags = [String(new CompressionStream("gzip")), String(new DecompressionStream("gzip"))];
    return Response.json(out);
  },
};

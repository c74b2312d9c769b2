// Blob and File: construction from parts, type normalisation, slice, text/arrayBuffer/bytes/stream,
// File name and lastModified, receiver checks and workerd's errors.
export default { async fetch() {
  const out = {};
  const E = async (k, f) => { try { const v = await f(); out[k] = ["ok", typeof v === "string" ? v : JSON.stringify(v)]; } catch (e) { out[k] = [e?.constructor?.name, e?.name, e?.message]; } };
  await E("basic", async () => { const b = new Blob(["ab", new Uint8Array([99]), new Blob(["d"])], { type: "Text/Plain" }); return [b.size, b.type, await b.text()]; });
  await E("badType", () => new Blob([], { type: "a\u0001b" }).type);
  await E("nonAsciiType", () => new Blob([], { type: "é" }).type);
  await E("endings", async () => [await new Blob(["a\nb\r\nc\rd"], { endings: "native" }).text(), await new Blob(["a\nb"], { endings: "transparent" }).text()]);
  await E("endingsBad", () => new Blob([], { endings: "x" }));
  await E("notSeq", () => new Blob("abc"));
  await E("nullParts", () => new Blob(null));
  await E("objParts", async () => await new Blob([{}, 1, null]).text());
  await E("slice", async () => { const b = new Blob(["hello world"]); return [await b.slice(-5).text(), await b.slice(1, -1).text(), await b.slice(3, 2).text(), b.slice(0, 2, "X/Y").type, b.slice().type, await b.slice(-100, 100).text()]; });
  await E("sliceTypeInherit", () => new Blob(["a"], { type: "a/b" }).slice().type);
  await E("arrayBuffer", async () => { const ab = await new Blob(["abc"]).arrayBuffer(); return [ab.constructor.name, ab.byteLength]; });
  await E("bytes", async () => { const u = await new Blob(["abc"]).bytes(); return [u.constructor.name, [...u]]; });
  await E("stream", async () => { const s = new Blob(["abc"]).stream(); const r = s.getReader(); const x = await r.read(); return [x.value.constructor.name, [...x.value], (await r.read()).done]; });
  await E("streamByob", async () => { const s = new Blob(["abc"]).stream(); const r = s.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(2)); return [...x.value]; });
  await E("streamEmpty", async () => { const r = new Blob([]).stream().getReader(); return (await r.read()).done; });
  await E("file", () => { const f = new File(["abc"], "a/b.txt", { type: "text/plain", lastModified: 42 }); return [f.name, f.size, f.type, f.lastModified, f instanceof Blob, Object.prototype.toString.call(f)]; });
  await E("fileNoName", () => new File(["a"]));
  await E("fileLM", () => { const f = new File([], "x"); return typeof f.lastModified === "number" && Math.abs(f.lastModified - Date.now()) < 5000; });
  await E("fileSliceIsBlob", () => Object.prototype.toString.call(new File(["ab"], "n").slice()));
  await E("blobTextIllegal", () => Blob.prototype.text.call({}));
  await E("sizeIllegal", () => Object.getOwnPropertyDescriptor(Blob.prototype, "size").get.call({}));
  return new Response(JSON.stringify(out));
}};

// FormData: append/set/get/getAll/has/delete, Blob and File values and their names, USVString
// conversion, forEach, live iterators, receiver checks and workerd's errors.
export default { async fetch() {
  const out = {};
  const E = async (k, f) => { try { const v = await f(); out[k] = ["ok", typeof v === "string" ? v : JSON.stringify(v)]; } catch (e) { out[k] = [e?.constructor?.name, e?.name, e?.message]; } };
  await E("fdBasic", () => { const fd = new FormData(); fd.append("a", "1"); fd.append("b", new Blob(["x"])); fd.append("c", new Blob(["y"], { type: "t/x" }), "name.txt"); fd.append("a", "2"); const f = fd.get("b"); const c = fd.get("c"); return [fd.get("a"), fd.getAll("a"), f.constructor.name, f.name, f.type, c.name, c.type, fd.has("b"), fd.get("zz"), [...fd.keys()]]; });
  await E("fdFileKeep", () => { const fd = new FormData(); const file = new File(["x"], "orig.txt"); fd.append("f", file); return fd.get("f") === file; });
  await E("fdSetDelete", () => { const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); fd.set("a", "4"); const e1 = [...fd]; fd.delete("b"); return [e1, [...fd]]; });
  await E("fdForEach", () => { const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); const r = []; fd.forEach(function (v, k, o) { r.push([k, v, o === fd, this]); }, "T"); return r; });
  await E("fdStrings", () => { const fd = new FormData(); fd.append("a\r\nb", "x\ny\rz"); fd.append(1, 2); return [...fd]; });
  await E("fdLoneSurrogate", () => { const fd = new FormData(); fd.append("\ud800", "\udc00"); return [...fd].map(([k, v]) => [k.charCodeAt(0), v.charCodeAt(0)]); });
  await E("fdArgs", () => new FormData().append("a"));
  await E("fdBlobFilenameStr", () => new FormData().append("a", "v", "fn"));
  await E("fdForm", () => new FormData({}));
  await E("fdIterProto", () => { const it = new FormData().entries(); return [Object.prototype.toString.call(it), typeof it.next, it[Symbol.iterator]() === it]; });
  await E("fdIterLive", () => { const fd = new FormData(); fd.append("a", "1"); const it = fd.keys(); fd.append("b", "2"); return [...it]; });
  await E("fdFileRenamed", () => { const fd = new FormData(); const orig = new File(["x"], "orig.txt", { type: "a/b" }); fd.append("f", orig, "renamed.txt"); const f = fd.get("f"); return [f.name, f.type, f === orig, f instanceof File]; });
  await E("fdKeysValuesTags", () => { const fd = new FormData(); return [Object.prototype.toString.call(fd.keys()), Object.prototype.toString.call(fd.values()), FormData.prototype[Symbol.iterator] === FormData.prototype.entries]; });
  await E("fdIllegal", () => FormData.prototype.get.call({}, "a"));
  await E("fdSetBlob", async () => { const fd = new FormData(); fd.set("b", new Blob(["zz"], { type: "X/Y" })); const v = fd.get("b"); return [v.name, v.type, await v.text(), v.size]; });
  return new Response(JSON.stringify(out));
}};

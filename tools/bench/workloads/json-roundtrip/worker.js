// A JSON body round trip: parse the request's JSON, change it, answer with JSON.
export default {
  async fetch(request) {
    const data = await request.json();
    data.seen = true;
    data.count = data.items.length;
    return Response.json(data);
  },
};

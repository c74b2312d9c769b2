export default {
  fetch(request, env) {
    return Response.json({
      greeting: env.GREETING,
      greetingType: typeof env.GREETING,
      settings: env.SETTINGS,
      keys: Object.keys(env).sort(),
    });
  },
};

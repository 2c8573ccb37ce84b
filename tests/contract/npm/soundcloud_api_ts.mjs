// Drives soundcloud-api-ts (npm) against a live Soundstack; prints what it got as JSON.
// The client hard-codes api.soundcloud.com and secure.soundcloud.com and calls the global
// fetch: only those two origins are rewritten to Soundstack's /public and /auth.
const { SOUNDSTACK_URL: base, CLIENT_MODULE, CLIENT_ID, CLIENT_SECRET } = process.env;
const { USER_TOKEN, SPARE_TOKEN, TRACK_ID, USER_ID, PERMALINK, QUERY } = process.env;
const { SoundCloudClient } = await import(CLIENT_MODULE);

const origins = [
  ["https://api.soundcloud.com", `${base}/public`],
  ["https://secure.soundcloud.com", `${base}/auth`],
];
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => {
  let target = String(url);
  for (const [from, to] of origins) {
    if (target.startsWith(from)) target = to + target.slice(from.length);
  }
  return realFetch(target, init);
};

const sc = new SoundCloudClient({
  clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, maxRetries: 0, dedupe: false,
});
const out = {};
const appToken = await sc.auth.getClientToken();
out.client_token = typeof appToken.access_token === "string" && appToken.access_token.length > 0;
sc.setToken(USER_TOKEN);
out.track = await sc.tracks.getTrack(TRACK_ID);
out.user = await sc.users.getUser(USER_ID);
out.user_tracks = await sc.users.getTracks(USER_ID, 1);
out.search = await sc.search.tracks(QUERY);
out.resolved = await sc.resolve.resolveUrl(`https://soundcloud.com/${PERMALINK}`);
out.me = await sc.me.getMe();
out.liked = await sc.likes.likeTrack(TRACK_ID);
out.likes = await sc.me.getLikesTracks(10);
await sc.auth.signOut(SPARE_TOKEN);  // POST /sign-out with {"access_token": …}
try {
  await sc.me.getMe({ token: SPARE_TOKEN });
  out.after_sign_out = "still signed in";
} catch (error) {
  out.after_sign_out = error.status ?? error.statusCode ?? String(error);
}
console.log(JSON.stringify(out));

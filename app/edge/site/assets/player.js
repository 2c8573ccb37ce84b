// Soundstack player: page and widget. Plays the progressive stream (HLS through the vendored
// hls.js only where the browser cannot), draws the waveform, counts a play once per listen,
// and in the widget answers the Widget API (SC.Widget, /player/api.js) over postMessage.
(function () {
  "use strict";

  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function Player(root) {
    this.root = root;
    this.audio = root.querySelector("audio");
    this.canvas = root.querySelector("canvas.waveform");
    this.button = root.querySelector("button.play");
    this.position = root.querySelector(".position");
    this.length = root.querySelector(".length");
    this.samples = null;
    this.counted = {};
    this.color = document.body.getAttribute("data-color") || "#ff5500";
    var sounds = root.getAttribute("data-sounds");
    this.sounds = sounds ? JSON.parse(sounds) : [];
    this.index = 0;
    this.comments = Array.prototype.map.call(
      root.querySelectorAll(".timed-comments li"),
      function (li) { return Number(li.getAttribute("data-at")); }
    );
    this.bind();
    this.loadWaveform(root.getAttribute("data-waveform"));
    this.draw();
    this.hls = root.getAttribute("data-hls");
    // no progressive file, or it failed before this script ran: HLS when the track has it
    if ((!this.audio.getAttribute("src") || this.audio.error) && this.hls) this.attachHls(this.hls);
  }

  Player.prototype.trackId = function () { return Number(this.root.getAttribute("data-track-id")); };
  Player.prototype.durationMs = function () {
    var d = this.audio.duration;
    return isFinite(d) && d > 0 ? d * 1000 : Number(this.root.getAttribute("data-duration")) || 0;
  };

  Player.prototype.bind = function () {
    var self = this, audio = this.audio;
    this.button.addEventListener("click", function () { self.toggle(); });
    this.canvas.addEventListener("click", function (e) {
      var box = self.canvas.getBoundingClientRect();
      self.seekTo(((e.clientX - box.left) / box.width) * self.durationMs());
    });
    audio.addEventListener("play", function () {
      self.button.textContent = "❚❚";
      self.button.setAttribute("aria-label", "Pause");
      self.countPlay();
      self.emit("play");
    });
    audio.addEventListener("pause", function () {
      self.button.textContent = "▶";
      self.button.setAttribute("aria-label", "Play");
      if (!audio.ended) self.emit("pause");
    });
    audio.addEventListener("timeupdate", function () {
      self.position.textContent = clock(audio.currentTime * 1000);
      self.draw();
      if (!audio.paused) self.emit("playProgress"); // progress while playing, as SoundCloud's
    });
    audio.addEventListener("progress", function () { self.emit("loadProgress"); });
    audio.addEventListener("seeked", function () { self.draw(); self.emit("seek"); });
    audio.addEventListener("error", function () {
      // the progressive file failed (unavailable here, blocked): HLS when the track has it
      if (self.hls && self.root.getAttribute("data-source") !== "hls") self.attachHls(self.hls);
      else self.emit("error");
    });
    audio.addEventListener("ended", function () {
      self.emit("finish");
      if (self.index + 1 < self.sounds.length) self.skip(self.index + 1, true);
    });
    audio.addEventListener("loadedmetadata", function () {
      self.length.textContent = clock(self.durationMs());
      self.draw();
    });
  };

  Player.prototype.toggle = function () { if (this.audio.paused) this.play(); else this.pause(); };
  Player.prototype.play = function () {
    this.wanted = true;
    if (this.root.getAttribute("data-source") === "loading") return; // plays once attached
    var p = this.audio.play();
    if (p && p.catch) p.catch(function () {});
  };
  Player.prototype.pause = function () { this.audio.pause(); };
  Player.prototype.seekTo = function (ms) {
    var d = this.durationMs();
    this.audio.currentTime = Math.max(0, Math.min(ms, d)) / 1000;
  };

  Player.prototype.skip = function (index, autoplay) {
    var sound = this.sounds[index];
    if (!sound || !sound.stream) return;
    this.index = index;
    this.root.setAttribute("data-track-id", sound.id);
    this.root.setAttribute("data-duration", sound.duration_ms || 0);
    this.audio.src = sound.stream;
    this.length.textContent = sound.duration;
    if (autoplay) this.play();
  };

  Player.prototype.countPlay = function () {
    var id = this.trackId();
    if (this.counted[id]) return;
    this.counted[id] = true;
    var body = { track_id: id };
    var secret = this.root.getAttribute("data-secret");
    if (secret) body.secret_token = secret;
    fetch("/player/plays", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (found) {
      var plays = document.querySelector(".plays");
      if (found && plays) plays.textContent = found.plays;
    }).catch(function () {});
  };

  Player.prototype.loadWaveform = function (url) {
    var self = this;
    if (!url) return;
    fetch(url).then(function (r) { return r.json(); }).then(function (wave) {
      self.samples = wave.samples;
      self.waveHeight = wave.height || 140;
      self.draw();
    }).catch(function () {});
  };

  Player.prototype.draw = function () {
    var c = this.canvas, g = c.getContext("2d"), w = c.width, h = c.height;
    var d = this.durationMs(), done = d ? (this.audio.currentTime * 1000) / d : 0;
    g.clearRect(0, 0, w, h);
    var samples = this.samples || [];
    var bars = Math.floor(w / 3);
    for (var i = 0; i < bars; i++) {
      var v = samples.length ? samples[Math.floor((i / bars) * samples.length)] / this.waveHeight : 0.08;
      var bar = Math.max(2, v * h);
      g.fillStyle = i / bars < done ? this.color : "#999";
      g.fillRect(i * 3, h - bar, 2, bar);
    }
    g.fillStyle = "#333";
    for (var k = 0; k < this.comments.length; k++) {
      if (d) g.fillRect(Math.floor((this.comments[k] / d) * w), h - 6, 3, 6);
    }
  };

  // HLS through the vendored hls.js wherever Media Source Extensions exist (every desktop
  // browser, Chromium included), the browser's own HLS only without them (iOS Safari).
  Player.prototype.attachHls = function (url) {
    var self = this, audio = this.audio, root = this.root;
    root.setAttribute("data-source", "loading");
    function attached(how) {
      root.setAttribute("data-source", "hls");
      root.setAttribute("data-hls-by", how);
      if (self.wanted) self.play();
    }
    function native() {
      if (!audio.canPlayType("application/vnd.apple.mpegurl")) { self.emit("error"); return; }
      audio.src = url;
      attached("native");
    }
    var script = document.createElement("script");
    script.src = "/assets/hls/hls.light.min.js";
    script.onload = function () {
      if (!window.Hls || !window.Hls.isSupported()) { native(); return; }
      var hls = new window.Hls();
      hls.on(window.Hls.Events.ERROR, function (_, data) { if (data.fatal) self.emit("error"); });
      hls.attachMedia(audio);
      hls.loadSource(url);
      attached("hls.js");
    };
    script.onerror = native;
    document.head.appendChild(script);
  };

  // ------------------------------------------------------------------ the Widget API
  Player.prototype.emit = function () {};

  function Widget(player) {
    var origins = {}; // event name -> origins that bound it
    var sounds = player.sounds;
    function send(target, origin, method, value) {
      target.postMessage(JSON.stringify({ method: method, value: value }), origin);
    }
    function sound() {
      var s = sounds[player.index] || {};
      return { id: s.id, title: s.title, permalink_url: s.url, duration: s.duration_ms,
               user: { username: s.artist }, artwork_url: s.artwork || null };
    }
    function state() {
      var d = player.durationMs(), a = player.audio, loaded = 0;
      if (a.buffered.length && d) loaded = (a.buffered.end(a.buffered.length - 1) * 1000) / d;
      return { currentPosition: a.currentTime * 1000,
               relativePosition: d ? (a.currentTime * 1000) / d : 0, loadProgress: loaded };
    }
    player.emit = function (name) {
      var bound = origins[name] || {};
      Object.keys(bound).forEach(function (origin) {
        send(window.parent, origin, name, state());
      });
    };
    var getters = {
      getVolume: function () { return Math.round(player.audio.volume * 100); },
      getDuration: function () { return player.durationMs(); },
      getPosition: function () { return player.audio.currentTime * 1000; },
      getCurrentSound: sound,
      getSounds: function () { return sounds.map(function (_, i) { return i; }).map(function () { return sound(); }); },
      getCurrentSoundIndex: function () { return player.index; },
      isPaused: function () { return player.audio.paused; },
    };
    window.addEventListener("message", function (e) {
      if (e.source !== window.parent) return; // only the page that embeds this player
      var msg;
      try { msg = typeof e.data === "string" ? JSON.parse(e.data) : e.data; } catch (err) { return; }
      if (!msg || typeof msg.method !== "string") return;
      var m = msg.method, v = msg.value;
      if (m === "addEventListener") {
        (origins[v] = origins[v] || {})[e.origin] = true;
        if (v === "ready") send(e.source, e.origin, "ready", state());
      } else if (m === "removeEventListener") {
        if (origins[v]) delete origins[v][e.origin];
      } else if (m === "play") player.play();
      else if (m === "pause") player.pause();
      else if (m === "toggle") player.toggle();
      else if (m === "seekTo") player.seekTo(Number(v) || 0);
      else if (m === "setVolume") player.audio.volume = Math.max(0, Math.min(100, Number(v))) / 100;
      else if (m === "skip") player.skip(Number(v) || 0, true);
      else if (m === "next") player.skip(player.index + 1, true);
      else if (m === "prev") player.skip(Math.max(0, player.index - 1), true);
      else if (m === "load" && v && typeof v.url === "string") {
        var q = new URLSearchParams(v.options || {});
        q.set("url", v.url);
        window.location.search = "?" + q.toString();
      } else if (Object.prototype.hasOwnProperty.call(getters, m)) {
        send(e.source, e.origin, m, getters[m]());
      }
    });
    if (window.parent !== window) send(window.parent, "*", "ready", null); // no data: any origin
    if (document.body.getAttribute("data-auto-play") === "true") player.play();
  }

  document.querySelectorAll(".player").forEach(function (root) {
    var player = new Player(root);
    if (root.getAttribute("data-widget") === "true") Widget(player);
  });
})();

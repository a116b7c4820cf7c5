/* Inspraak youth survey: small enhancements of pages that work without JavaScript.
   - keeps the answers on the phone (localStorage, per survey) so a reload, a lost session or a
     lost connection loses nothing, and offers to carry on;
   - sends the forms with fetch, and when the connection is gone waits and sends again;
   - counts characters, keeps to the most choices allowed, reads the question aloud.
   The server stays the truth: every form still posts exactly what it would without this file. */
(function () {
  "use strict";

  var body = document.body;
  var slug = body.getAttribute("data-survey");
  if (!slug) return;
  var storageKey = "inspraak:survey:" + slug;
  var skipFields = { csrfmiddlewaretoken: 1, website_url: 1, action: 1 };

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey)) || {};
    } catch (error) {
      return {};
    }
  }
  function save(state) {
    try {
      state.savedAt = Date.now();
      window.localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) { /* private mode or full: the server still has what was sent */ }
  }
  function forget() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) { /* nothing kept */ }
  }
  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  var state = load();
  state.fields = state.fields || {};
  var key = body.getAttribute("data-key");
  var questionForm = document.querySelector(".question-form");

  if (body.hasAttribute("data-forget")) {
    forget(); // sent, or stopped: nothing stays on a phone that may be shared
  } else if (body.hasAttribute("data-assent")) {
    // Mirror what the server knows; answers typed but not sent yet stay as they are.
    state.language = body.getAttribute("data-language");
    state.age = Number(body.getAttribute("data-age"));
    state.assent = true;
    if (key) state.at = key;
    save(state);
  }

  /* --- Answers kept on the phone ---------------------------------------------------------- */

  function fieldsOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (!skipFields[name] && value !== "") pairs.push([name, String(value)]);
    });
    return pairs;
  }

  function fillIn(form, pairs) {
    all("input[name], select[name], textarea[name]", form).forEach(function (field) {
      if (skipFields[field.name] || field.type === "hidden") return;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = pairs.some(function (pair) {
          return pair[0] === field.name && pair[1] === field.value;
        });
      } else {
        var pair = pairs.filter(function (p) { return p[0] === field.name; })[0];
        field.value = pair ? pair[1] : "";
      }
    });
  }

  if (questionForm && key) {
    var hasError = !!questionForm.querySelector(".field-error:not([hidden])");
    if (state.fields[key] && !hasError) fillIn(questionForm, state.fields[key]);
    var keep = function () {
      state.fields[key] = fieldsOf(questionForm);
      save(state);
    };
    questionForm.addEventListener("input", keep);
    questionForm.addEventListener("change", keep);
  }

  // Welcome back: the session was lost, but this phone kept the answers.
  var resume = document.querySelector("[data-resume]");
  if (resume && state.assent && state.language && state.age) {
    resume.querySelector("[data-resume-kept]").value = JSON.stringify({
      language: state.language,
      age: state.age,
      assent: true,
      at: state.at || "",
      fields: state.fields
    });
    resume.hidden = false;
    resume.querySelector("[data-resume-forget]").addEventListener("click", function () {
      forget();
      resume.hidden = true;
    });
  }

  /* --- Sending, also through a lost connection -------------------------------------------- */

  function send(form, data, delay) {
    // Not form.action: the buttons named "action" hide that property.
    var target = form.getAttribute("action") || window.location.href;
    fetch(target, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        // A server that is restarting answers 502-504: wait for it like for a lost connection.
        if (response.status >= 502 && response.status <= 504) throw new Error("unavailable");
        window.location.assign(response.url);
      })
      .catch(function () {
        var note = form.querySelector("[data-offline-note]");
        if (note) note.hidden = false;
        var again = function () {
          window.removeEventListener("online", again);
          window.clearTimeout(timer);
          send(form, data, Math.min(delay * 2, 30000));
        };
        var timer = window.setTimeout(again, delay);
        window.addEventListener("online", again);
      });
  }

  all("form.flow-form").forEach(function (form) {
    if (!window.fetch || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.getAttribute("data-sending")) return;
      form.setAttribute("data-sending", "1");
      var data = new FormData(form);
      var submitter = event.submitter;
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      if (form === questionForm && submitter && submitter.value === "skip") {
        delete state.fields[key];
        save(state);
      }
      send(form, data, 3000);
    });
  });

  // Coming back with the browser's Back button shows the page as it was left: unlock it.
  window.addEventListener("pageshow", function () {
    all("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
    });
  });

  /* --- Counting characters, and the most choices allowed ---------------------------------- */

  all("textarea[maxlength]").forEach(function (area) {
    var counter = document.querySelector("[data-counter]");
    if (!counter) return;
    var count = counter.querySelector("[data-count]");
    var update = function () {
      count.textContent = area.value.replace(/\r\n/g, "\n").length;
    };
    counter.hidden = false;
    update();
    area.addEventListener("input", update);
  });

  all("[data-max-choices]").forEach(function (group) {
    var most = Number(group.getAttribute("data-max-choices"));
    var message = group.querySelector("[data-max-message]");
    group.addEventListener("change", function (event) {
      var ticked = all("input[type=checkbox]:checked", group).length;
      if (event.target.checked && ticked > most) {
        event.target.checked = false;
        if (message) message.hidden = false;
      } else if (message && ticked < most) {
        message.hidden = true;
      }
    });
  });

  /* --- Read aloud ------------------------------------------------------------------------- */

  var readButton = document.querySelector("[data-read-aloud]");
  var speech = window.speechSynthesis;
  if (readButton && speech && window.SpeechSynthesisUtterance) {
    var language = readButton.getAttribute("data-speech-language") || "";
    var base = language.split("-")[0].toLowerCase();
    var voiceFor = function () {
      var voices = speech.getVoices();
      var normal = function (voice) { return (voice.lang || "").replace("_", "-").toLowerCase(); };
      return voices.filter(function (v) { return normal(v) === language.toLowerCase(); })[0] ||
        voices.filter(function (v) { return normal(v).split("-")[0] === base; })[0];
    };
    var offer = function () {
      readButton.hidden = !voiceFor();
    };
    offer();
    if (speech.addEventListener) speech.addEventListener("voiceschanged", offer);
    readButton.addEventListener("click", function () {
      if (speech.speaking) {
        speech.cancel();
        return;
      }
      var parts = all("[data-speak]").map(function (element) { return element.textContent; });
      var ranking = document.querySelector(".ranking select"); // its options, read once
      if (ranking) {
        all("option", ranking).forEach(function (option) {
          if (option.value) parts.push(option.textContent);
        });
      }
      var utterance = new window.SpeechSynthesisUtterance(parts.join(". ").replace(/\s+/g, " "));
      utterance.lang = language;
      utterance.voice = voiceFor() || null;
      utterance.rate = 0.9;
      speech.speak(utterance);
    });
  }
})();

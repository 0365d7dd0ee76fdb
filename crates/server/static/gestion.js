// acta back office: comfort only. Every form works without this script; it asks the
// server to work out the quorum, the majority and the credits while staff type, and
// shows the answer. No rule is computed here.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // The vote form: the server's preview replaces the "evaluation" section.
  var vote = document.getElementById("vote");
  if (vote) {
    var target = document.getElementById(vote.dataset.apercu);
    var refreshVote = debounce(function () {
      var body = new URLSearchParams(new FormData(vote));
      body.set("action", "calculer");
      // getAttribute: the buttons named "action" hide the form's action property.
      fetch(vote.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(vote.dataset.apercu);
          var alert = page.querySelector("[role=alert]");
          if (fresh && target) {
            target.innerHTML = (alert ? alert.outerHTML : "") + fresh.innerHTML;
          }
        })
        .catch(function () { /* the buttons still work */ });
    }, 300);
    vote.addEventListener("input", refreshVote);
    vote.addEventListener("change", refreshVote);
  }

  // The award form: the line's credits against the amount typed.
  var award = document.getElementById("attribution");
  if (award) {
    var out = document.getElementById(award.dataset.credits);
    var refreshCredits = debounce(function () {
      var query = new URLSearchParams({
        ligne: award.elements.ligne.value,
        annee: award.elements.annee.value,
        montant: award.elements.montant.value
      });
      fetch("/gestion/credits?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (text) { if (out) { out.textContent = text; } })
        .catch(function () { /* the form still works */ });
    }, 250);
    award.addEventListener("input", refreshCredits);
    award.addEventListener("change", refreshCredits);
    refreshCredits();
  }
})();

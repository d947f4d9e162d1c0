// /ui/sparql with the vendored YASGUI (make web-assets): the Yasqe editor (highlighting, completion of the
// project's prefixes) and Yasr results (table, CSV download) over this server's /sparql. Nothing leaves the
// server: no prefix.cc or LOV look-ups, no URL shortener, no endpoint catalogue. If anything here fails, the
// plain form (#sparql-plain) stays as it is.
(function () {
  "use strict";
  var holder = document.getElementById("sparql-editor");
  var source = document.getElementById("sparql-config");
  if (!holder || !source || typeof window.Yasgui === "undefined") return;
  var config = JSON.parse(source.textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var prefixes = config.prefixes;

  function shareable(query) {
    return "/ui/sparql?" + new URLSearchParams({ query: query }).toString();
  }

  try {
    var Yasgui = window.Yasgui;
    // Prefix completion from the project's prefixes only (the stock completer may ask prefix.cc).
    Yasgui.Yasqe.forkAutocompleter(
      "prefixes",
      {
        name: "orgkgPrefixes",
        persistenceId: null,
        get: function () {
          return Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; });
        },
      },
      false
    );
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      copyEndpointOnNewTab: true,
      populateFromUrl: false, // the server puts ?query= into the page; other share-link fields do not apply
      persistenceId: null, // no localStorage: the page shows the query of its URL
      corsProxy: undefined,
      yasqe: {
        autocompleters: ["orgkgPrefixes", "variables"], // no "class"/"property": those call the LOV API
        prefixCcApi: null,
        createShortLink: undefined,
        resizeable: true,
        editorHeight: "320px",
      },
      yasr: { prefixes: prefixes, defaultPlugin: "table" },
    });
    var tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    tab.setQuery(config.query);

    // The address bar follows the query that runs, so it can be copied and shared.
    yasgui.on("query", function (_y, t) {
      window.history.replaceState(null, "", shareable(t.getQuery()));
    });
    // The gallery loads a named query into the editor instead of leaving the page.
    document.querySelectorAll("a.open-query[data-query]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        yasgui.getTab().setQuery(a.getAttribute("data-query"));
        window.history.replaceState(null, "", a.getAttribute("href"));
        holder.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    });

    document.getElementById("sparql-plain").hidden = true;
    document.querySelectorAll(".editor-hint").forEach(function (p) { p.hidden = false; });
    holder.setAttribute("data-ready", "true");
    if (new URLSearchParams(window.location.search).has("query")) tab.query();
  } catch (error) {
    console.error("SPARQL editor unavailable, keeping the plain form", error);
    holder.hidden = true;
  }
})();

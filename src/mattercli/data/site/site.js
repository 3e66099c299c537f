/* The exported site's script (html/assets/site.js): the search of index.html, and the filters, search and pages
   of a list page. Plain JavaScript with no request of any kind: what it needs is in the page, so the site works
   from the file system (file://) and offline. */
(function () {
  "use strict";

  // Decode a run of %XX escapes, dropping any escape that starts no whole character (a link cut in the middle
  // of a multi-byte character): decodeURIComponent would throw URIError on it.
  function decodeRun(run) {
    var out = "";
    var i = 0;
    while (i < run.length) {
      var end = run.length;
      for (; end > i; end -= 3) {
        try { out += decodeURIComponent(run.slice(i, end)); break; } catch (e) { /* try a shorter run */ }
      }
      i = end > i ? end : i + 3;
    }
    return out;
  }

  // Text from a URL (a hash or query part): never throws, whatever was pasted or cut.
  function safeDecode(text) {
    text = text.replace(/\+/g, " ");
    try { return decodeURIComponent(text); } catch (e) { /* malformed: decode escape run by escape run */ }
    return text.replace(/(?:%[0-9a-fA-F]{2})+/g, decodeRun);
  }

  // #q=…&部门=…: the page's state, as a link can carry it.
  function hashParams() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) { out[safeDecode(part.slice(0, at))] = safeDecode(part.slice(at + 1)); }
    });
    return out;
  }

  function setHash(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      if (params[key] !== "" && params[key] !== undefined) {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(params[key]));
      }
    });
    try {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
    } catch (e) { /* some browsers refuse replaceState on file: URLs; the page works without it */ }
  }

  function termsOf(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }

  function hasAll(text, terms) {
    for (var j = 0; j < terms.length; j++) {
      if (text.indexOf(terms[j]) < 0) { return false; }
    }
    return true;
  }

  // --- index.html: search every matter by name, code, department, type and region ----------------------------
  function indexSearch(indexElement) {
    var data = JSON.parse(indexElement.textContent);
    var input = document.getElementById("q");
    var list = document.getElementById("results");
    var count = document.getElementById("result-count");
    var MAX = 200;
    var texts = data.map(function (e) { return e.join(" ").toLowerCase(); });
    function initial() {
      var q = null;
      try { q = new URLSearchParams(location.search).get("q"); } catch (e) { q = null; }
      return q || hashParams().q || "";
    }
    function search(q) {
      var terms = termsOf(q);
      list.textContent = "";
      if (!terms.length) { count.textContent = ""; document.body.removeAttribute("data-results"); return; }
      var found = 0;
      for (var i = 0; i < data.length; i++) {
        if (!hasAll(texts[i], terms)) { continue; }
        found++;
        if (found > MAX) { continue; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "matters/" + data[i][0] + ".html";
        a.textContent = data[i][1];
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " " + data[i][0] + " · " + data[i][2] + " · " + data[i][3];
        li.appendChild(meta);
        list.appendChild(li);
      }
      count.textContent = "找到 " + found + " 个事项" + (found > MAX ? "(显示前 " + MAX + " 个)" : "");
      document.body.setAttribute("data-results", String(found));
    }
    input.addEventListener("input", function () {
      search(input.value);
      setHash({ q: input.value });
    });
    var q = initial();
    input.value = q;
    search(q);
  }

  // --- a list page: filters (事项类型, 部门, 行使层级, 区划), search, pages ----------------------------------------
  function listPage(metaElement) {
    var meta = JSON.parse(metaElement.textContent);
    var rows = Array.prototype.slice.call(document.querySelectorAll(".list-table tbody tr"));
    var sections = Array.prototype.slice.call(document.querySelectorAll("section.group"));
    var sectionOf = [];
    sections.forEach(function (section, s) {
      var n = section.querySelectorAll("tbody tr").length;
      for (var k = 0; k < n; k++) { sectionOf.push(s); }
    });
    var facets = rows.map(function (row) {
      return (row.getAttribute("data-f") || "").split(" ").map(function (part) {
        return part === "" ? [] : part.split(",").map(Number);
      });
    });
    var tools = document.getElementById("list-tools");
    var input = document.getElementById("list-q");
    var size = document.getElementById("page-size");
    var count = document.getElementById("list-count");
    var pager = document.getElementById("pager");
    var prev = document.getElementById("page-prev");
    var next = document.getElementById("page-next");
    var where = document.getElementById("page-info");
    var selects = [];
    var texts = null;
    var matched = [];
    var page = 0;
    var state = hashParams();

    meta.facets.forEach(function (facet, k) {
      if (facet.values.length < 2) { selects.push(null); return; }
      var counts = facet.values.map(function () { return 0; });
      facets.forEach(function (f) { (f[k] || []).forEach(function (v) { counts[v]++; }); });
      var label = document.createElement("label");
      label.textContent = facet.name;
      var select = document.createElement("select");
      select.setAttribute("data-facet", facet.name);
      select.appendChild(new Option("全部(" + rows.length + ")", ""));
      facet.values.forEach(function (value, v) {
        var option = new Option(value + "(" + counts[v] + ")", String(v));
        option.setAttribute("data-value", value);
        select.appendChild(option);
      });
      var wanted = state[facet.name];
      if (wanted) {
        var at = facet.values.indexOf(wanted);
        if (at >= 0) { select.value = String(at); }
      }
      select.addEventListener("change", function () { apply(true); });
      label.appendChild(select);
      tools.insertBefore(label, size.parentNode);
      selects.push(select);
    });

    function apply(fromStart) {
      var terms = termsOf(input.value);
      if (terms.length && texts === null) {
        texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      }
      var chosen = selects.map(function (s) { return s && s.value !== "" ? Number(s.value) : -1; });
      matched = [];
      for (var i = 0; i < rows.length; i++) {
        var ok = true;
        for (var k = 0; k < chosen.length && ok; k++) {
          if (chosen[k] >= 0 && (facets[i][k] || []).indexOf(chosen[k]) < 0) { ok = false; }
        }
        if (ok && terms.length) { ok = hasAll(texts[i], terms); }
        if (ok) { matched.push(i); }
        if (rows[i].classList.contains("off") === ok) { rows[i].classList.toggle("off", !ok); }
      }
      if (fromStart) { page = 0; }
      show();
    }

    function show() {
      var per = Number(size.value) || matched.length || 1;
      var pages = Math.max(1, Math.ceil(matched.length / per));
      page = Math.min(Math.max(page, 0), pages - 1);
      var first = page * per;
      var last = Math.min(first + per, matched.length);
      var onPage = sections.map(function () { return 0; });
      var kept = sections.map(function () { return 0; });
      for (var j = 0; j < matched.length; j++) {
        var i = matched[j];
        var here = j >= first && j < last;
        if (rows[i].classList.contains("pg") === here) { rows[i].classList.toggle("pg", !here); }
        kept[sectionOf[i]]++;
        if (here) { onPage[sectionOf[i]]++; }
      }
      sections.forEach(function (section, s) {
        section.classList.toggle("off", kept[s] === 0);
        section.classList.toggle("pg", onPage[s] === 0);
      });
      var filtered = matched.length !== rows.length;
      count.textContent = (filtered ? "筛选出 " + matched.length + " 行(共 " + rows.length + " 行)" : "共 " + rows.length + " 行")
        + (matched.length > 0 && pages > 1 ? ",显示第 " + (first + 1) + "–" + last + " 行" : "");
      document.body.setAttribute("data-rows", String(matched.length));
      pager.hidden = pages <= 1;
      where.textContent = "第 " + (page + 1) + " / " + pages + " 页";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      var params = { q: input.value };
      selects.forEach(function (s, k) {
        if (s && s.value !== "") { params[meta.facets[k].name] = meta.facets[k].values[Number(s.value)]; }
      });
      if (page > 0) { params["页"] = String(page + 1); }
      if (size.value !== String(meta.pageSize)) { params["每页"] = size.value; }
      setHash(params);
    }

    function turn(step) {
      page += step;
      show();
      var box = document.querySelector("section.group:not(.pg) .table-box");
      if (box) { box.scrollTop = 0; }
      count.scrollIntoView({ block: "nearest" });
    }

    input.value = state.q || "";
    if (state["每页"] !== undefined && size.querySelector('option[value="' + Number(state["每页"]) + '"]')) {
      size.value = String(Number(state["每页"]));
    }
    page = Math.max(0, (parseInt(state["页"], 10) || 1) - 1);
    input.addEventListener("input", function () { apply(true); });
    size.addEventListener("change", function () { apply(true); });
    prev.addEventListener("click", function () { turn(-1); });
    next.addEventListener("click", function () { turn(1); });
    tools.hidden = false;
    apply(false);
  }

  var index = document.getElementById("search-index");
  if (index) { indexSearch(index); }
  var listMeta = document.getElementById("list-meta");
  if (listMeta) { listPage(listMeta); }
})();

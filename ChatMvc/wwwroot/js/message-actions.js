// A message's menu, with JavaScript: Edit and Delete change the message in place, and React's picker opens inside the
// menu. The menu's links and forms are plain HTML that work without this file; it finds them by class, one listener
// for the whole page, so forty messages carry no per-message script attributes. The antiforgery header comes from the
// body's hx-headers, as for every htmx request.
(function () {
    "use strict";

    function plainClick(event) {
        return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
    }

    function replaceMessage(verb, url, source) {
        var article = source.closest("article.message");
        if (!article || !window.htmx) {
            return false;
        }
        window.htmx.ajax(verb, url, { source: source, target: article, swap: "outerHTML" });
        return true;
    }

    // Edit: the message becomes its editor (the edit page's form, as a fragment).
    document.addEventListener("click", function (event) {
        var link = event.target instanceof Element ? event.target.closest(".message-menu a.edit-link") : null;
        if (link && plainClick(event) && replaceMessage("GET", link.getAttribute("href"), link)) {
            event.preventDefault();
        }
    });

    // Delete: after the browser's own confirmation, post to the address the form would open the confirmation page at.
    document.addEventListener("submit", function (event) {
        var form = event.target instanceof Element ? event.target.closest(".message-menu form.delete-form") : null;
        if (!form || !window.htmx || !form.closest("article.message")) {
            return;
        }
        event.preventDefault();
        if (window.confirm("Delete this message for everyone?")) {
            replaceMessage("POST", form.getAttribute("action"), form);
        }
    });

    // React: the first time a menu opens, the picker replaces the link to the reaction page; the same address answers
    // an htmx request with the picker alone. (toggle does not bubble, so it is caught on its way down.)
    document.addEventListener("toggle", function (event) {
        var menu = event.target;
        if (!(menu instanceof HTMLDetailsElement) || !menu.open || !menu.matches(".message-menu") || !window.htmx) {
            return;
        }
        var link = menu.querySelector("a.reaction-link");
        if (link && !link.hasAttribute("data-loading")) {
            link.setAttribute("data-loading", "");
            window.htmx.ajax("GET", link.getAttribute("href"), { source: link, target: link, swap: "outerHTML" });
        }
    }, true);
})();

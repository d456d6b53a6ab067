// The people picker on the new conversation page, with JavaScript; without it, searching posts the whole form.
(function () {
    "use strict";

    // A box ticked (or unticked) while a search is on its way is not in that search's answer, and the answer would
    // replace the list without it. Such an answer is dropped and the search sent again, with the boxes as they are now.
    var pickerSent = null;
    function tickedPeople() {
        return Array.prototype.map.call(document.querySelectorAll("#people-picker input[name=selected]:checked"), function (box) {
            return box.value;
        }).join(",");
    }
    document.addEventListener("htmx:configRequest", function (event) {
        if (event.detail.elt && event.detail.elt.id === "people-query") {
            pickerSent = tickedPeople();
        }
    });
    document.addEventListener("htmx:beforeSwap", function (event) {
        var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
        if (!elt || elt.id !== "people-query" || pickerSent === null || pickerSent === tickedPeople()) {
            return;
        }
        event.detail.shouldSwap = false;
        window.htmx.trigger(elt, "search");
    });
})();

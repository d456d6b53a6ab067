// The composer and the message editor with JavaScript: the hint for Enter, Escape to cancel an edit, and photos
// pasted or dropped into the composer. Everything here has a way without JavaScript (the Send button, the Cancel
// link, the file input).
(function () {
    "use strict";

    // chat.js makes Enter send; the page says what Enter does without it, so the hint changes with the script.
    function updateHint() {
        var hint = document.getElementById("composer-hint");
        if (hint && hint.dataset.withScript) {
            hint.textContent = hint.dataset.withScript;
        }
    }

    // Escape in an open editor does what its Cancel link does (in place with htmx, back to the window without).
    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || event.isComposing || !event.target || !event.target.closest) {
            return;
        }
        var editor = event.target.closest("form.message-editor");
        var cancel = editor && editor.querySelector("a.cancel-edit");
        if (cancel) {
            event.preventDefault();
            cancel.click();
        }
    });

    function firstImage(files) {
        for (var i = 0; files && i < files.length; i++) {
            if (files[i].type.indexOf("image/") === 0) {
                return files[i];
            }
        }
        return null;
    }

    // The photo goes into the composer's own file input, so it is sent the usual way (htmx, or the form's post).
    function attach(files) {
        var input = document.getElementById("message-image");
        var image = firstImage(files);
        if (!input || !image || typeof DataTransfer === "undefined") {
            return false;
        }
        var transfer = new DataTransfer();
        transfer.items.add(image);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        var status = document.getElementById("photo-attached");
        if (status) {
            status.textContent = "Photo attached: " + (image.name || "pasted image") + ".";
        }
        return true;
    }

    function carriesFiles(event) {
        var types = event.dataTransfer && event.dataTransfer.types;
        return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
    }

    function setUpComposer() {
        var composer = document.getElementById("composer");
        if (!composer || !document.getElementById("message-image")) {
            return;
        }
        composer.addEventListener("paste", function (event) {
            if (event.clipboardData && attach(event.clipboardData.files)) {
                event.preventDefault();
            }
        });
        composer.addEventListener("dragover", function (event) {
            if (carriesFiles(event)) {
                event.preventDefault();
                event.dataTransfer.dropEffect = "copy";
                composer.classList.add("drop-target");
            }
        });
        composer.addEventListener("dragleave", function (event) {
            if (!composer.contains(event.relatedTarget)) {
                composer.classList.remove("drop-target");
            }
        });
        composer.addEventListener("drop", function (event) {
            composer.classList.remove("drop-target");
            if (carriesFiles(event)) {
                event.preventDefault();
                attach(event.dataTransfer.files);
            }
        });
        // A sent photo is gone from the input (chat.js empties it); so is the word that it was attached.
        document.addEventListener("message-sent", function () {
            var status = document.getElementById("photo-attached");
            if (status) {
                status.textContent = "";
            }
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        updateHint();
        setUpComposer();
    });
})();

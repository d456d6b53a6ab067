// ESLint over the app's own scripts (ChatMvc/wwwroot/js), run by ScriptLintTests. The scripts are plain browser
// scripts without a build step, so a name used but never defined only shows as an error in a visitor's console.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
    js.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2019,
            sourceType: "script",
            globals: { ...globals.browser },
        },
    },
];

// Tailwind CSS 4 runs as a PostCSS plugin; there is no tailwind.config — theme lives in app/globals.css.
export default {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

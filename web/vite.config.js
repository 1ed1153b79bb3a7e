// The build writes hashed files under dist/assets; twostepd serves dist/.
// The catalog (../locales) lies outside web/: the build reads it at build
// time; the dev server may serve it too (fs.allow).
export default {
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
  server: { fs: { allow: ['.', '../locales'] } },
};

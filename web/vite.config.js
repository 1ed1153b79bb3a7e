// The build writes hashed files under dist/assets; twostepd serves dist/.
export default {
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
};

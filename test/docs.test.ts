/**
 * Every public symbol carries a doc comment: each package's `src/index.ts` is its public
 * surface, and each symbol exported there (and, for classes, each public method and property;
 * for re-exported namespaces such as `init`, each of their exports) must have a TSDoc comment
 * with text, on every declaration (overloads included, implementation signatures excepted).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(`${root}packages`).sort();

/** Program over the packages' entry points, with the repository's compiler options. */
function createProgram(): ts.Program {
  const configPath = `${root}tsconfig.json`;
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const entries = packages.map((name) => `${root}packages/${name}/src/index.ts`);
  return ts.createProgram(entries, { ...parsed.options, noEmit: true });
}

/** True when `node` has a `/** … *\/` comment whose text is not empty. */
function hasDoc(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => {
    // A constructor parameter property may instead be described by the constructor's `@param`.
    if (!ts.isJSDoc(doc) && !(ts.isParameter(node) && ts.isJSDocParameterTag(doc))) return false;
    const text = typeof doc.comment === 'string' ? doc.comment : ts.getTextOfJSDocComment(doc.comment);
    return (text ?? '').trim().length > 0;
  });
}

/** `file:line` of a declaration, for the failure list. */
function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${file.fileName.slice(root.length)}:${line + 1}`;
}

/** Function-like declarations that only implement overloads declared above them. */
function isOverloadImplementation(node: ts.Declaration): boolean {
  if (!(ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) || node.body === undefined) {
    return false;
  }
  const symbol = (node as ts.Declaration & { symbol?: ts.Symbol }).symbol;
  return (symbol?.declarations ?? []).some((other) => other !== node && other.kind === node.kind);
}

function isPublicMember(member: ts.ClassElement): boolean {
  if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member)) return false;
  if (ts.isIndexSignatureDeclaration(member) || ts.isSemicolonClassElement(member)) return false;
  if (member.name === undefined || ts.isPrivateIdentifier(member.name)) return false;
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

/** Public member declarations (`name` on `cls`) that lack docs, following overrides to the base. */
function undocumentedMembers(checker: ts.TypeChecker, cls: ts.ClassDeclaration, owner: string): string[] {
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const member of cls.members) {
    if (!isPublicMember(member) || isOverloadImplementation(member)) continue;
    const name = member.name?.getText() ?? '';
    if (hasDoc(member)) {
      seen.add(name);
      continue;
    }
    // A getter/setter pair needs one comment; an override inherits its base member's comment.
    if (seen.has(name) && (ts.isGetAccessor(member) || ts.isSetAccessor(member))) continue;
    const sibling = cls.members.find(
      (other) => other !== member && other.name?.getText() === name && hasDoc(other),
    );
    if (sibling) continue;
    if (inheritsDoc(checker, cls, member)) continue;
    missing.push(`${owner}.${name} (${where(member)})`);
  }
  // Constructor parameter properties (`constructor(readonly length: number)`) are public properties too.
  for (const member of cls.members) {
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const parameter of member.parameters) {
      const flags = ts.getCombinedModifierFlags(parameter);
      if (!ts.isParameterPropertyDeclaration(parameter, member)) continue;
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (hasDoc(parameter) || inheritsDoc(checker, cls, parameter)) continue;
      missing.push(`${owner}.${parameter.name.getText()} (${where(parameter)})`);
    }
  }
  return missing;
}

/**
 * True when a base class or implemented interface of `cls` documents `member`, following
 * undocumented overrides up the chain.
 */
function inheritsDoc(
  checker: ts.TypeChecker,
  cls: ts.ClassLikeDeclaration,
  member: ts.ClassElement | ts.ParameterDeclaration,
): boolean {
  const key = member.name && checker.getSymbolAtLocation(member.name)?.escapedName;
  if (key === undefined) return false;
  for (const clause of cls.heritageClauses ?? []) {
    for (const base of clause.types) {
      const inherited = checker.getTypeAtLocation(base).getProperty(key as string);
      for (const declaration of inherited?.declarations ?? []) {
        if (hasDoc(declaration)) return true;
        const owner = declaration.parent;
        if (ts.isClassLike(owner) && inheritsDoc(checker, owner, declaration as ts.ClassElement)) return true;
      }
    }
  }
  return false;
}

/** Every undocumented declaration reachable from `moduleSymbol`'s exports, as `name (file:line)`. */
function undocumented(checker: ts.TypeChecker, moduleSymbol: ts.Symbol, prefix: string): string[] {
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = `${prefix}${exported.name}`;
    const declarations = symbol.declarations ?? [];
    const namespace = declarations.find(ts.isSourceFile);
    if (namespace) {
      // `export * as init from './init.js'`: the namespace's own exports are the surface.
      missing.push(...undocumented(checker, symbol, `${name}.`));
      continue;
    }
    if (declarations.length === 0) missing.push(`${name} (no declaration)`);
    for (const declaration of declarations) {
      if (isOverloadImplementation(declaration)) continue;
      if (!hasDoc(declaration)) missing.push(`${name} (${where(declaration)})`);
      if (ts.isClassDeclaration(declaration)) {
        missing.push(...undocumentedMembers(checker, declaration, name));
      }
    }
  }
  return missing;
}

describe('public API docs', () => {
  const program = createProgram();
  const checker = program.getTypeChecker();
  for (const name of packages) {
    it(`@xent/${name}: every export of src/index.ts has a doc comment`, () => {
      const file = program.getSourceFile(`${root}packages/${name}/src/index.ts`);
      expect(file).toBeDefined();
      const moduleSymbol = checker.getSymbolAtLocation(file as ts.SourceFile);
      expect(moduleSymbol).toBeDefined();
      const exports = checker.getExportsOfModule(moduleSymbol as ts.Symbol);
      expect(exports.length).toBeGreaterThan(5);
      expect(undocumented(checker, moduleSymbol as ts.Symbol, '')).toEqual([]);
    });
  }
});

// Public surface of the validator.
export { validateModule, checkConstExpr } from './validate-module';
export { buildContext, funcTypeOf, type ModuleContext } from './context';
export {
  validateFunctionBody, FunctionValidator, slotWords, UNKNOWN, type CodeSink, type ControlFrame, type StackType,
} from './function-body';

// Public surface of the validator.
export { validateModule } from './validate-module';
export { checkConstExpr, evalConstExpr, CONST_OPS, type ConstEnv, type ConstOp, type ConstCheck } from './const-expr';
export { buildContext, funcTypeOf, type ModuleContext } from './context';
export {
  validateFunctionBody, FunctionValidator, slotWords, UNKNOWN, type CodeSink, type ControlFrame, type StackType,
} from './function-body';

/*
 * Copyright 2022 Fluence Labs Limited
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

use air_lambda_ast::LambdaAST;
use polyplets::SecurityTetraplet;

pub(crate) fn populate_tetraplet_with_lambda(
    mut tetraplet: SecurityTetraplet,
    lambda: &LambdaAST<'_>,
) -> SecurityTetraplet {
    match lambda {
        LambdaAST::ValuePath(_) => {
            tetraplet.add_lens(&lambda.to_string());
            tetraplet
        }
        LambdaAST::Functor(_) => SecurityTetraplet::new("", "", "", lambda.to_string()),
    }
}
